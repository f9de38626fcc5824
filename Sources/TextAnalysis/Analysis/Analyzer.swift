import Foundation
import SelectionCore

/// Turns page fields into terms: PCRE2 words → personal-data scrubbing → CJK runs into words
/// (ICU's dictionary for Chinese and Japanese, character pairs otherwise) →
/// Unicode folding (NFKC, the language's lower case) → elided articles dropped (French, Italian,
/// Catalan) → stop words → Snowball stemming. One analyzer serves pages, catalog items and queries, so a
/// word on a page and the same word in the catalog always meet as the same term.
///
///     let analyzer = Analyzer()
///     analyzer.terms(in: "Running shoes for trail runners") // ["run", "shoe", "trail", "runner"]
public struct Analyzer: Sendable {
    /// Stop words per language (primary subtag); languages not listed keep every word.
    public var stopWords: [String: StopWords]
    /// Language used when a page declares none or one Snowball lacks.
    public var defaultLanguage: String
    /// When set, every text is analysed in this language, whatever it declares or reads as (no
    /// detection): the language-blind baseline that evaluations compare against, or a deployment
    /// whose pages and catalog are all in one language.
    public var pinnedLanguage: String?
    /// Words longer than this many bytes are junk (hashes, base64, URLs run together).
    public var maximumWordBytes: Int
    /// Analysis stops after this many words per page, which bounds the cost of huge pages.
    public var maximumWords: Int
    /// How runs of Chinese and Japanese characters become terms in Chinese and Japanese text.
    public var cjkSegmentation: CJKSegmentation = .dictionary

    /// Chinese and Japanese are written without spaces between words.
    public enum CJKSegmentation: String, Sendable, CaseIterable {
        /// Overlapping pairs of characters (``CJKBigrams``), as Lucene's CJKAnalyzer.
        case bigrams
        /// ICU's dictionary-based words (``CJKWords``) for text analysed as Chinese or Japanese;
        /// pairs for CJK runs in other text (Korean, whose words are spaced but carry their
        /// particles, and a CJK name on a page in another language).
        case dictionary
    }

    public static let defaultMaximumWordBytes = 48
    public static let defaultMaximumWords = 50_000

    public init(stopWords: [String: StopWords] = StopWords.byLanguage, defaultLanguage: String = "en",
                maximumWordBytes: Int = Analyzer.defaultMaximumWordBytes,
                maximumWords: Int = Analyzer.defaultMaximumWords) {
        self.stopWords = stopWords
        self.defaultLanguage = defaultLanguage
        self.maximumWordBytes = maximumWordBytes
        self.maximumWords = maximumWords
    }

    /// Analyses every field of `page`, in field order, into one token list.
    public func analyze(_ page: PageFields, language: String? = nil, scratch: AnalysisScratch) -> AnalyzedText {
        var result = AnalyzedText(language: scratch.resolvedLanguage(pinnedLanguage ?? language ?? page.language,
                                                                     default: defaultLanguage))
        scratch.beginText(language: result.language, stopWords: stopWords[result.language] ?? .none)
        result.tableGeneration = scratch.tableGeneration
        var position = 0
        for field in Field.allCases {
            guard let segments = page.segments[field] else { continue }
            for segment in segments {
                // A gap of one position keeps phrases from running across fields and blocks.
                if segment.startsBlock { position += 1 }
                analyze(segment, field: field, position: &position, into: &result, scratch: scratch)
                result.stopWordCount = scratch.stopWordsDropped
                if result.wordCount >= maximumWords { return result }
            }
            position += 1
        }
        return result
    }

    func analyze(_ segment: TextSegment, field: Field, position: inout Int, into result: inout AnalyzedText,
                 scratch: AnalysisScratch) {
        var wordCount = result.wordCount
        var scrubbed = result.scrubbed
        forEachTerm(in: segment.text, language: result.language, position: &position, wordCount: &wordCount,
                    scrubbed: &scrubbed, scratch: scratch) { entry, number, range, position in
            let index = scratch.textIndex(ofTerm: number, entry: entry, in: &result)
            let raw = segment.rawOffset(of: range.lowerBound)..<segment.rawOffset(of: range.upperBound)
            result.tokens.append(Token(term: result.distinctTerms[Int(index)], byteRange: raw, position: position, field: field))
            result.termIndexes.append(index)
        }
        result.wordCount = wordCount
        result.scrubbed = scrubbed
    }

    /// Calls `body` with the scratch's number of each term of plain `text`, in order: what
    /// ``analyze(_:language:scratch:)`` of `.plainText(text)` would make tokens of, without
    /// making them (the catalog indexer counts terms and needs nothing else).
    ///
    /// - Returns: the words read and the stop words of two letters or more among them, as
    ///   ``AnalyzedText/wordCount`` and ``AnalyzedText/stopWordCount`` count them.
    @discardableResult
    package func forEachTermNumber(in text: String, language: String?, scratch: AnalysisScratch,
                                   _ body: (Int32) -> Void) -> (words: Int, stopWords: Int) {
        let resolved = scratch.resolvedLanguage(pinnedLanguage ?? language, default: defaultLanguage)
        scratch.beginText(language: resolved, stopWords: stopWords[resolved] ?? .none)
        var position = 1
        var wordCount = 0
        var scrubbed: [ScrubbedKind: Int] = [:]
        forEachTerm(in: text, language: resolved, position: &position, wordCount: &wordCount, scrubbed: &scrubbed,
                    scratch: scratch) { _, number, _, _ in body(number) }
        return (wordCount, scratch.stopWordsDropped)
    }

    /// The one word loop: the word pattern's matches (``WordScanner``) → personal data counted
    /// and dropped → each word's table entry (folded, stop-word checked and stemmed the first time
    /// only) → `body` for terms.
    @inline(__always)
    func forEachTerm(in text: String, language: String, position: inout Int, wordCount: inout Int,
                     scrubbed: inout [ScrubbedKind: Int], scratch: AnalysisScratch,
                     _ body: (_ entry: Int, _ number: Int32, _ range: Range<Int>, _ position: Int) -> Void) {
        var text = text
        let stops = stopWords[language] ?? .none
        let elisions = Elision.byLanguage[language]
        let cjkWords = cjkSegmentation == .dictionary && (language == "zh" || language == "ja") ? scratch.cjkWords : nil
        let stemmer = scratch.stemmer(for: language)
        let words = scratch.words
        text.withUTF8 { bytes in
            WordScanner.forEachMatch(in: bytes, scratch: scratch.wordMatch) { range, group in
                wordCount += 1
                switch WordPattern.Group(rawValue: group) {
                case .email: scrubbed[.email, default: 0] += 1; position += 1
                case .ipv4, .ipv6: scrubbed[.ipAddress, default: 0] += 1; position += 1
                case .digits:
                    let digits = bytes[range].filter { $0 >= 0x30 && $0 <= 0x39 }.map { $0 - 0x30 }
                    let kind: ScrubbedKind = WordPattern.passesLuhn(digits) ? .paymentCard
                        : (bytes[range].contains { $0 == 0x20 || $0 == 0x2D || $0 == 0x28 || $0 == 0x2B } ? .phone : .digitRun)
                    scrubbed[kind, default: 0] += 1
                    position += 1
                case .word, .none:
                    /// One word (or one piece of a CJK run) to its term.
                    func emit(_ range: Range<Int>) {
                        position += 1
                        let word = UnsafeBufferPointer(rebasing: bytes[range])
                        if containsLongDigitRun(word) {
                            scrubbed[.digitRun, default: 0] += 1
                            return
                        }
                        guard word.count <= maximumWordBytes else { return }
                        let entry = words.entry(for: word) { word in
                            var folded = scratch.fold(word)
                            if let elisions { folded = Elision.strip(folded, prefixes: elisions) }
                            // Single ASCII letters carry no topic; single ideographs or digits do.
                            if folded.utf8.count == 1, let first = folded.utf8.first, first >= 0x61, first <= 0x7A {
                                return (folded, nil)
                            }
                            if stops.contains(folded) { return (folded, nil) }
                            return (folded, stemmer.map { $0.stem(folded) } ?? folded)
                        }
                        let number = words.entryTerms[entry]
                        if number != WordTable.dropped {
                            body(entry, number, range, position)
                        } else if word.count > 1 {
                            scratch.stopWordsDropped += 1
                        }
                    }
                    if CJKBigrams.mayContainCJK(UnsafeBufferPointer(rebasing: bytes[range])) {
                        if let cjkWords {
                            cjkWords.forEachWord(of: bytes, in: range, emit)
                        } else {
                            CJKBigrams.forEachPiece(of: bytes, in: range, emit)
                        }
                    } else {
                        emit(range)
                    }
                }
                return wordCount < maximumWords
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
    /// Stop words of two letters or more among them (single letters are dropped apart).
    public var stopWordCount = 0
    /// The share of the words that were stop words of the language analysed in: about 0.4 for
    /// English text analysed as English, well under 0.2 for other languages analysed as English.
    public var stopWordShare: Double { wordCount == 0 ? 0 : Double(stopWordCount) / Double(wordCount) }
    /// The first case-folded word seen for each term, to show people instead of a stem.
    public var surfaces: [String: String] {
        get {
            surfaceOverrides ?? Dictionary(zip(distinctTerms, distinctSurfaces), uniquingKeysWith: { first, _ in first })
        }
        set { surfaceOverrides = newValue }
    }
    /// ``surfaces`` as set by hand, which then wins over what analysis found.
    var surfaceOverrides: [String: String]?
    /// The first case-folded word met for each of ``distinctTerms``, in the same order.
    public internal(set) var distinctSurfaces: [String] = []
    /// Each token's term as a number within this text: `distinctTerms[termIndexes[i]]` is
    /// `tokens[i].term`. Analysis keeps the two in step; code that edits `tokens` by hand
    /// leaves them apart, and readers then number the terms themselves.
    public internal(set) var termIndexes: [Int32] = []
    /// The text's terms, in the order first met.
    public internal(set) var distinctTerms: [String] = []
    /// The analysis scratch's number of each of ``distinctTerms``, valid while its word table is
    /// in ``tableGeneration``.
    var scratchTermNumbers: [Int32] = []
    var tableGeneration = -1

    /// Whether ``termIndexes`` still describes ``tokens``.
    public var termIndexesAreCurrent: Bool { termIndexes.count == tokens.count }

    public init(language: String) { self.language = language }
}

/// Per-task working memory for analysis: PCRE2 match data, stemmers and the table of words
/// already analysed. Make one per task or thread and reuse it; never share it.
public final class AnalysisScratch {
    let wordMatch = MatchScratch(for: WordPattern.compiled)
    private var stemmers: [String: Stemmer?] = [:]
    /// Raw words already met under the current text's setting, with the terms they became.
    private(set) var words: WordTable
    /// A table per analysis setting met, most recently used last: a page read first in the
    /// default language and then in its own, or a stream of pages in several languages, keeps
    /// what each language's words became instead of analysing them afresh at every switch.
    private var tables: [WordTable]
    /// Tables kept at most; the least recently used one is emptied for a new setting.
    package static let maximumTables = 4
    private var fillings = 0
    /// ICU's word segmentation of Chinese and Japanese, opened when first needed.
    lazy var cjkWords = CJKWords()
    /// Stop words (of two letters or more) dropped since the last ``beginText(language:stopWords:)``.
    var stopWordsDropped = 0
    /// Per term number of ``words``: the text it was last numbered in, and its number there.
    @exclusivity(unchecked) private var textStamps: [UInt32] = []
    @exclusivity(unchecked) private var textIndexes: [Int32] = []
    private var textGeneration: UInt32 = 0

    public init() {
        // A placeholder until the first text names its setting.
        words = WordTable(language: "", stopWords: .none, generation: 0)
        tables = []
    }

    /// The language to analyse in: `requested` when it is a language tag, else `fallback`. A
    /// language without a Snowball stemmer or a stop list is analysed by the steps that need no
    /// language (Unicode folding, CJK bigrams, scrubbing), never as English.
    func resolvedLanguage(_ requested: String?, default fallback: String) -> String {
        guard let requested, let primary = primaryLanguage(requested) else { return fallback }
        return primary
    }

    func stemmer(for language: String) -> Stemmer? {
        if let cached = stemmers[language] { return cached }
        let made = Stemmer(language: language)
        stemmers[language] = made
        return made
    }

    /// The current filling of the word table in use: term numbers from another (another
    /// setting's table, or this one's before it emptied) mean nothing now.
    package var tableGeneration: Int { words.generation }

    /// The term the scratch numbers `number` (valid within the current ``tableGeneration``).
    package func term(number: Int32) -> String { words.terms[Int(number)] }

    /// Starts numbering the terms of a new text, in the table of its setting.
    func beginText(language: String, stopWords: StopWords) {
        stopWordsDropped = 0
        if !words.serves(language: language, stopWords: stopWords) || words.count >= WordTable.limit {
            useTable(language: language, stopWords: stopWords)
        }
        // Stamps of earlier texts never equal a new text's generation, whichever table they
        // were made in, so switching tables clears nothing.
        textGeneration &+= 1
        if textGeneration == 0 {
            for index in textStamps.indices { textStamps[index] = 0 }
            textGeneration = 1
        }
    }

    /// Makes the table of this setting the current one: kept, emptied when full, or made (in
    /// place of the least recently used when ``maximumTables`` are kept).
    private func useTable(language: String, stopWords: StopWords) {
        if let index = tables.firstIndex(where: { $0.serves(language: language, stopWords: stopWords) }) {
            words = tables.remove(at: index)
        } else {
            if tables.count >= Self.maximumTables { tables.removeFirst() }
            words = WordTable(language: language, stopWords: stopWords, generation: nextFilling())
        }
        tables.append(words)
        if words.count >= WordTable.limit { words.restart(generation: nextFilling()) }
    }

    private func nextFilling() -> Int {
        fillings += 1
        return fillings
    }

    /// The number of term `number` within `result`, given to it (with its surface form) when the
    /// text meets it first.
    @inline(__always)
    func textIndex(ofTerm number: Int32, entry: Int, in result: inout AnalyzedText) -> Int32 {
        let term = Int(number)
        if term >= textStamps.count {
            let grown = max(words.terms.count, term + 1)
            textStamps.append(contentsOf: repeatElement(0, count: grown - textStamps.count))
            textIndexes.append(contentsOf: repeatElement(0, count: grown - textIndexes.count))
        }
        if textStamps[term] == textGeneration { return textIndexes[term] }
        let text = words.terms[term]
        let index = Int32(result.distinctTerms.count)
        textStamps[term] = textGeneration
        textIndexes[term] = index
        result.distinctTerms.append(text)
        result.distinctSurfaces.append(words.entryFolded[entry])
        result.scratchTermNumbers.append(number)
        return index
    }

    /// The document frequency of `term` in `statistics`, remembered under the scratch's number
    /// for it when the statistics have a ``TermStatistics/cacheKey`` and `text` was numbered by
    /// this scratch in its current table: a page's terms then cost an array read, not a string hash.
    func documentFrequency(of term: String, index: Int, in text: AnalyzedText, statistics: any TermStatistics) -> Int {
        guard let key = statistics.cacheKey, text.tableGeneration == tableGeneration, index < text.scratchTermNumbers.count
        else { return statistics.documentFrequency(of: term) }
        let number = Int(text.scratchTermNumbers[index])
        // The number must still name this term (another scratch's text would fail here).
        guard number < words.terms.count, words.terms[number] == term else { return statistics.documentFrequency(of: term) }
        // Kept in the word table: its numbers, and so the frequencies, end when it empties.
        if words.frequencyKey != key {
            words.frequencyKey = key
            words.frequencies.removeAll(keepingCapacity: true)
        }
        if number >= words.frequencies.count {
            words.frequencies.append(contentsOf: repeatElement(-1, count: max(words.terms.count, number + 1) - words.frequencies.count))
        }
        if words.frequencies[number] >= 0 { return Int(words.frequencies[number]) }
        let frequency = statistics.documentFrequency(of: term)
        guard frequency <= Int(Int32.max) else { return frequency }
        words.frequencies[number] = Int32(frequency)
        return frequency
    }

    /// Lower-cases `word` (ASCII fast path) and folds typographic apostrophes to `'`.
    func fold(_ word: UnsafeBufferPointer<UInt8>) -> String {
        var ascii = true
        for byte in word where byte >= 0x80 { ascii = false; break }
        if ascii, !(word.contains(0x49) && (words.language == "tr" || words.language == "az")) {
            return String(unsafeUninitializedCapacity: word.count) { buffer in
                for (index, byte) in word.enumerated() { buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
                return word.count
            }
        }
        return Self.foldUnicode(String(decoding: word, as: UTF8.self), language: words.language)
    }

    /// The non-ASCII fold: NFKC (full-width forms, ligatures and compatibility characters to
    /// their plain letters), then the language's lower case: Turkish and Azeri dotless and dotted
    /// i (I → ı, İ → i), Greek final sigma as σ (as Lucene's Greek filter does); German ß stays,
    /// the German stemmer reads it as ss. Typographic apostrophes become straight ones.
    static func foldUnicode(_ word: String, language: String) -> String {
        var text = word.precomposedStringWithCompatibilityMapping
        if language == "tr" || language == "az" {
            text = text.replacingOccurrences(of: "I", with: "ı").replacingOccurrences(of: "İ", with: "i")
        }
        var lowered = text.lowercased()
        if language == "el" { lowered = lowered.replacingOccurrences(of: "ς", with: "σ") }
        return lowered.contains("’") ? String(lowered.map { $0 == "’" ? "'" : $0 }) : lowered
    }
}

@available(*, unavailable)
extension AnalysisScratch: Sendable {}
