extension Analyzer {
    /// Analyses `fields` in the language they are written in, and says which that is and why.
    ///
    ///     analyse in the declared (or default) language
    ///       ─► English text shows itself by its stop words: done, no CLD2
    ///       ─► otherwise ``PageLanguage/choose(declared:text:fallback:englishStopShare:words:)``
    ///          (CLD2 on ``detectionText(of:)``) ─► another language: analyse again in it
    ///
    /// A pinned analyzer (``pinnedLanguage``) analyses in its language whatever the page is in;
    /// the page's own language is still chosen and returned (eligibility uses it).
    ///
    /// - Parameter declared: the language the request or the page's HTML declares.
    public func analyzeInItsLanguage(_ fields: PageFields, declared: String?,
                                     scratch: AnalysisScratch) -> (analyzed: AnalyzedText, language: PageLanguage) {
        var analyzed = analyze(fields, language: declared ?? defaultLanguage, scratch: scratch)
        let language = PageLanguage.choose(declared: declared, text: Self.detectionText(of: fields), fallback: defaultLanguage,
                                           englishStopShare: analyzed.language == "en" ? analyzed.stopWordShare : nil,
                                           words: analyzed.wordCount)
        if language.code != analyzed.language, pinnedLanguage == nil {
            analyzed = analyze(fields, language: language.code, scratch: scratch)
        }
        return (analyzed, language)
    }

    /// What language detection reads of a page: the title, then the body, the first kilobyte at
    /// most (what ``LanguageDetector`` reads), copied no further.
    public static func detectionText(of fields: PageFields) -> String {
        var text = fields.text(of: .title)
        for segment in fields.segments[.body] ?? [] {
            let remaining = LanguageDetector.maximumBytes - text.utf8.count
            if remaining <= 0 { break }
            text += " "
            text += segment.text.utf8.count <= remaining ? segment.text
                : String(decoding: segment.text.utf8.prefix(remaining), as: UTF8.self)
        }
        return text
    }
}
