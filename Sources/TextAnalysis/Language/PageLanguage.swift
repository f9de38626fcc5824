/// The language a page is analysed in, and where it came from.
///
///     declared (request `lang`, else `<html lang>`)
///       ├─ the text agrees, or is too short to say ─► declared
///       └─ CLD2 reliably reads another language in ≥ 90 % of ≥ 200 bytes ─► detected (the declared one noted)
///     none declared
///       ├─ CLD2 reads one reliably in ≥ 64 bytes, or, in ≥ 200 bytes, one no other outweighs ─► detected
///       └─ otherwise ─► default
public struct PageLanguage: Hashable, Sendable {
    public enum Source: String, Hashable, Sendable {
        case declared, detected
        case `default`
    }

    /// The primary subtag the page is analysed in.
    public var code: String
    public var source: Source
    /// CLD2's share of the text in `code`, for a detected language.
    public var confidence: Double?
    /// A declared language the text contradicted.
    public var contradicted: String?

    public init(code: String, source: Source, confidence: Double? = nil, contradicted: String? = nil) {
        self.code = code
        self.source = source
        self.confidence = confidence
        self.contradicted = contradicted
    }

    /// Text shorter than this never overrides a declared language.
    public static let contradictionMinimumBytes = 200
    /// The share of English stop words from which text analysed as English is English: English
    /// prose has about 0.4 and terse English (package descriptions, product copy) rarely under
    /// 0.15, while 99.97 % of German, French, Spanish, Italian, Portuguese and Russian texts of
    /// 64 bytes or more have less (Debian's translated package descriptions, 3,000 a language).
    public static let englishStopShareMinimum = 0.15
    /// Text shorter than this is not detected at all (a few words mislead CLD2 as often as not):
    /// the default language applies.
    public static let detectionMinimumBytes = 64
    /// The share of the text CLD2 must find in another language to override a declared one.
    public static let contradictionMinimumShare = 0.9

    /// Chooses the page's language from what it declares and what its `text` reads as; a
    /// language the analyzer cannot stem or stop is still reported, and analysed with the
    /// language-independent steps.
    ///
    /// - Parameter englishStopShare: when the page was already analysed as English, the share of
    ///   its words that were English stop words (``AnalyzedText/stopWordShare``) over `words`
    ///   words: from 0.15 on 12 words or more it is English without CLD2 or a second pass.
    public static func choose(declared: String?, text: @autoclosure () -> String, fallback: String,
                              englishStopShare: Double? = nil, words: Int = 0) -> PageLanguage {
        let declaredCode = declared.flatMap(primaryLanguage)
        if let englishStopShare, words >= EnglishScreen.minimumWords, englishStopShare >= englishStopShareMinimum {
            return declaredCode == "en" ? PageLanguage(code: "en", source: .declared)
                : PageLanguage(code: "en", source: .detected, contradicted: declaredCode)
        }
        let text = text()
        let length = text.utf8.count
        // Plain English needs no CLD2 (``EnglishScreen``); its share is not CLD2's, so no confidence.
        if englishStopShare == nil, length >= detectionMinimumBytes, EnglishScreen.isClearlyEnglish(text) {
            if let declaredCode, declaredCode != "en", length < contradictionMinimumBytes {
                return PageLanguage(code: declaredCode, source: .declared)
            }
            return declaredCode == "en" ? PageLanguage(code: "en", source: .declared)
                : PageLanguage(code: "en", source: .detected, contradicted: declaredCode)
        }
        let detected = length >= detectionMinimumBytes ? LanguageDetector.detect(text) : nil
        if let declared = declaredCode {
            if let detected, detected.isReliable, detected.code != declared, detected.share >= contradictionMinimumShare,
               length >= contradictionMinimumBytes {
                return PageLanguage(code: detected.code, source: .detected, confidence: detected.share, contradicted: declared)
            }
            return PageLanguage(code: declared, source: .declared)
        }
        // CLD2 calls few short or mixed texts reliable (package names and code among the words);
        // on 200 bytes or more, its answer is taken when no other language holds more of the
        // text (what it reads as no language is names and code, and settles nothing).
        if let detected, detected.isReliable || (length >= contradictionMinimumBytes && detected.leads) {
            return PageLanguage(code: detected.code, source: .detected, confidence: detected.share)
        }
        return PageLanguage(code: fallback, source: .default)
    }
}
