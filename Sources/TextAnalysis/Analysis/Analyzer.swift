/// Turns page fields into terms: PCRE2 words → personal-data scrubbing → case folding →
/// stop words → Snowball stemming. One analyzer serves pages, catalog items and queries, so a
/// word on a page and the same word in the catalog always meet as the same term.
///
///     let analyzer = Analyzer()
///     analyzer.terms(in: "Running shoes for trail runners") // ["run", "shoe", "trail", "runner"]
public struct Analyzer: Sendable {
    /// Stop words per language (primary subtag); languages not listed keep every word.
    public var stopWords: [String: StopWords]
    /// Language used when a page declares none or one Snowball lacks.
    public var defaultLanguage: String
    /// Words longer than this many bytes are junk (hashes, base64, URLs run together).
    public var maximumWordBytes: Int
    /// Analysis stops after this many words per page, which bounds the cost of huge pages.
    public var maximumWords: Int

    public static let defaultMaximumWordBytes = 48
    public static let defaultMaximumWords = 50_000

    public init(stopWords: [String: StopWords] = ["en": .english], defaultLanguage: String = "en",
                maximumWordBytes: Int = Analyzer.defaultMaximumWordBytes,
                maximumWords: Int = Analyzer.defaultMaximumWords) {
        self.stopWords = stopWords
        self.defaultLanguage = defaultLanguage
        self.maximumWordBytes = maximumWordBytes
        self.maximumWords = maximumWords
    }

    /// Analyses every field of `page`, in field order, into one token list.
    public func analyze(_ page: PageFields, language: String? = nil, scratch: AnalysisScratch) -> AnalyzedText {
        var result = AnalyzedText(language: scratch.resolvedLanguage(language ?? page.language, default: defaultLanguage))
        var position = 0
        for field in Field.allCases {
            guard let segments = page.segments[field] else { continue }
            for segment in segments {
                // A gap of one position keeps phrases from running across fields and blocks.
                if segment.startsBlock { position += 1 }
                analyze(segment, field: field, position: &position, into: &result, scratch: scratch)
                if result.wordCount >= maximumWords { return result }
            }
            position += 1
        }
        return result
    }

    func analyze(_ segment: TextSegment, field: Field, position: inout Int, into result: inout AnalyzedText,
                 scratch: AnalysisScratch) {
        var text = segment.text
        let language = result.language
        let stops = stopWords[language] ?? .none
        let stemmer = scratch.stemmer(for: language)
        text.withUTF8 { bytes in
            WordPattern.compiled.forEachMatch(in: bytes, scratch: scratch.wordMatch) { range, group in
                result.wordCount += 1
                let raw = segment.rawOffset(of: range.lowerBound)..<segment.rawOffset(of: range.upperBound)
                switch WordPattern.Group(rawValue: group) {
                case .email: result.scrubbed[.email, default: 0] += 1; position += 1
                case .ipv4, .ipv6: result.scrubbed[.ipAddress, default: 0] += 1; position += 1
                case .digits:
                    let digits = bytes[range].filter { $0 >= 0x30 && $0 <= 0x39 }.map { $0 - 0x30 }
                    let kind: ScrubbedKind = WordPattern.passesLuhn(digits) ? .paymentCard
                        : (bytes[range].contains { $0 == 0x20 || $0 == 0x2D || $0 == 0x28 || $0 == 0x2B } ? .phone : .digitRun)
                    result.scrubbed[kind, default: 0] += 1
                    position += 1
                case .word, .none:
                    position += 1
                    let word = UnsafeBufferPointer(rebasing: bytes[range])
                    if containsLongDigitRun(word) {
                        result.scrubbed[.digitRun, default: 0] += 1
                        return result.wordCount < maximumWords
                    }
                    guard word.count <= maximumWordBytes else { return result.wordCount < maximumWords }
                    let folded = scratch.fold(word)
                    // Single ASCII letters carry no topic; single ideographs or digits do.
                    if folded.utf8.count == 1, let first = folded.utf8.first, first >= 0x61, first <= 0x7A {
                        return result.wordCount < maximumWords
                    }
                    if stops.contains(folded) { return result.wordCount < maximumWords }
                    let term = scratch.stem(folded, with: stemmer)
                    if result.surfaces[term] == nil { result.surfaces[term] = folded }
                    result.tokens.append(Token(term: term, byteRange: raw, position: position, field: field))
                }
                return result.wordCount < maximumWords
            }
        }
    }

    func containsLongDigitRun(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count >= WordPattern.longDigitRun else { return false }
        var run = 0
        for byte in word {
            if byte >= 0x30 && byte <= 0x39 {
                run += 1
                if run >= WordPattern.longDigitRun { return true }
            } else { run = 0 }
        }
        return false
    }

    // MARK: Conveniences

    /// Terms of plain `text`, in order (creates its own scratch; use ``analyze(_:language:scratch:)``
    /// in loops).
    public func terms(in text: String, language: String? = nil) -> [String] {
        analyze(.plainText(text), language: language, scratch: AnalysisScratch()).tokens.map(\.term)
    }

    /// Tokens of plain `text` with their byte ranges.
    public func tokens(in text: String, language: String? = nil, scratch: AnalysisScratch = AnalysisScratch()) -> [Token] {
        analyze(.plainText(text), language: language, scratch: scratch).tokens
    }
}

/// The result of analysing one page.
public struct AnalyzedText: Sendable {
    /// The language whose stop words and stemmer were used.
    public var language: String
    public var tokens: [Token] = []
    /// Spans dropped as personal data, by kind. Only counts are kept: never the text.
    public var scrubbed: [ScrubbedKind: Int] = [:]
    /// Words and scrubbed spans read (before stop words).
    public var wordCount = 0
    /// The first case-folded word seen for each term, to show people instead of a stem.
    public var surfaces: [String: String] = [:]

    public init(language: String) { self.language = language }
}

/// Per-task working memory for analysis: PCRE2 match data, stemmers and a stem cache.
/// Make one per task or thread and reuse it; never share it.
public final class AnalysisScratch {
    let wordMatch = MatchScratch(for: WordPattern.compiled)
    private var stemmers: [String: Stemmer?] = [:]
    private var stemCache: [String: String] = [:]
    private var stemCacheLanguage = ""
    /// The cache is dropped past this many entries, which bounds memory on hostile input.
    static let stemCacheLimit = 100_000

    public init() {}

    /// The language to analyse in: `requested` when Snowball has it, else `fallback`.
    func resolvedLanguage(_ requested: String?, default fallback: String) -> String {
        guard let requested, let primary = primaryLanguage(requested) else { return fallback }
        return stemmer(for: primary) == nil ? fallback : primary
    }

    func stemmer(for language: String) -> Stemmer? {
        if let cached = stemmers[language] { return cached }
        let made = Stemmer(language: language)
        stemmers[language] = made
        return made
    }

    func stem(_ word: String, with stemmer: Stemmer?) -> String {
        guard let stemmer else { return word }
        if stemCacheLanguage != stemmer.algorithm {
            stemCache.removeAll(keepingCapacity: true)
            stemCacheLanguage = stemmer.algorithm
        }
        if let cached = stemCache[word] { return cached }
        let stem = stemmer.stem(word)
        if stemCache.count >= Self.stemCacheLimit { stemCache.removeAll(keepingCapacity: true) }
        stemCache[word] = stem
        return stem
    }

    /// Lower-cases `word` (ASCII fast path) and folds typographic apostrophes to `'`.
    func fold(_ word: UnsafeBufferPointer<UInt8>) -> String {
        var ascii = true
        for byte in word where byte >= 0x80 { ascii = false; break }
        if ascii {
            return String(unsafeUninitializedCapacity: word.count) { buffer in
                for (index, byte) in word.enumerated() { buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
                return word.count
            }
        }
        let lowered = String(decoding: word, as: UTF8.self).lowercased()
        return lowered.contains("’") ? String(lowered.map { $0 == "’" ? "'" : $0 }) : lowered
    }
}

@available(*, unavailable)
extension AnalysisScratch: Sendable {}
