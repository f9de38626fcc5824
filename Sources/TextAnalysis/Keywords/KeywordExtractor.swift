public import SelectionCore

/// Picks the terms and short phrases that best say what a page is about: field-weighted term
/// frequency × inverse document frequency, within MoreLikeThis-style bounds.
///
///     let extractor = KeywordExtractor()
///     let keywords = extractor.extract(from: analyzed, declared: ["tea"], statistics: index)
///
/// The result is deterministic: weights descending, then terms ascending.
public struct KeywordExtractor: Sendable {
    /// Named bounds and weights. Each default says why it is what it is.
    public struct Options: Hashable, Sendable {
        /// How much one occurrence counts in each field. A title word says more about a page than
        /// a body word; alt and link text are often boilerplate.
        public var fieldWeights: [Field: Double] = [
            .title: 3, .description: 2, .headings: 2, .body: 1, .imageAlt: 0.5, .linkText: 0.5,
        ]
        /// Terms whose weighted frequency is below this are ignored: one body occurrence is
        /// enough, because pages handed to a selector are often short.
        public var minTermFrequency: Double = 1
        /// Terms found in fewer statistics documents are ignored: a term no document has cannot
        /// match the catalog, and is most often a typo or junk.
        public var minDocumentFrequency: Int = 1
        /// Terms found in more than this share of the statistics documents say nothing about a
        /// page (applied once there are at least `minDocumentsForMaxRatio` documents).
        public var maxDocumentFrequencyRatio: Double = 0.5
        public var minDocumentsForMaxRatio: Int = 20
        /// Keywords returned at most (Lucene's MoreLikeThis uses 25 query terms).
        public var maxKeywords: Int = 25
        /// Of those, phrases at most.
        public var maxPhrases: Int = 5
        /// A 2–3 word phrase must occur this many times (weighted) to count.
        public var minPhraseFrequency: Double = 2
        /// A declared keyword (page.keywords, meta keywords) adds this much weighted frequency to
        /// each of its terms, once, however often it is repeated.
        public var declaredKeywordWeight: Double = 2
        /// Declared keywords considered at most, in the order given: stuffing gains nothing.
        public var maxDeclaredKeywords: Int = 10
        /// Keywords that only declarations support (absent from the page's own text) take at
        /// most this share of the result, so declarations count but cannot dominate.
        public var maxDeclaredOnlyShare: Double = 0.25
        /// Numbers shorter than this many digits are not keywords: on real pages they are
        /// section numbers, list counters and versions; four digits keeps years.
        public var minNumberDigits: Int = 4

        public init() {}
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// The smoothed IDF used for keywords: `ln((N + 1) / (n + 1)) + 1`, positive for any n ≤ N.
    public static func idf(documentFrequency n: Int, documentCount N: Int) -> Double {
        (Double(N + 1) / Double(n + 1)).logarithm + 1
    }

    /// The keywords of an analysed page.
    ///
    /// - Parameters:
    ///   - analyzed: the page's tokens; tokens of the `.keywords` field (meta keywords) count as
    ///     declared keywords, not as text.
    ///   - declared: keywords the request declares, already analysed into terms (one array per
    ///     declared keyword).
    ///   - statistics: document frequencies for IDF and the df bounds.
    ///   - scratch: the scratch that analysed the page, which then remembers document
    ///     frequencies from page to page (when the statistics have a cache key).
    public func extract(from analyzed: AnalyzedText, declared: [[String]] = [],
                        statistics: any TermStatistics, scratch: AnalysisScratch? = nil) -> [Keyword] {
        let documentCount = statistics.documentCount
        // Terms by number within the page: the analyzer's numbering when it is current.
        var terms: [String]
        var termIndexes: [Int32]
        // What people are shown for term number n: the page's first folded word for it, by number
        // when the analyzer's numbering holds, else through the surfaces table.
        var surfaceList: [String] = []
        var surfaceTable: [String: String] = [:]
        if analyzed.termIndexesAreCurrent, analyzed.surfaceOverrides == nil {
            terms = analyzed.distinctTerms
            termIndexes = analyzed.termIndexes
            surfaceList = analyzed.distinctSurfaces
        } else {
            (terms, termIndexes) = Self.number(analyzed.tokens)
            surfaceTable = analyzed.surfaces
        }
        func surfaceOf(_ number: Int) -> String {
            number < surfaceList.count ? surfaceList[number] : (surfaceTable[terms[number]] ?? terms[number])
        }
        // Field weights by the field's place in `Field.allCases`, read once per token.
        let fieldWeights = Field.allCases.map { options.fieldWeights[$0] ?? 1 }
        var frequency = [Double](repeating: 0, count: terms.count)
        var inText = [Bool](repeating: false, count: terms.count)
        for (token, index) in zip(analyzed.tokens, termIndexes) where token.field != .keywords {
            frequency[Int(index)] += fieldWeights[token.field.ordinal]
            inText[Int(index)] = true
        }
        var declarations = declared + splitMetaKeywords(analyzed)
        declarations = Array(declarations.filter { !$0.isEmpty }.prefix(options.maxDeclaredKeywords))
        if !declarations.isEmpty {
            var numbers = [String: Int](minimumCapacity: terms.count)
            for (number, term) in terms.enumerated() { numbers[term] = number }
            var declaredTerms: Set<String> = []
            for declaration in declarations {
                for term in Set(declaration) where !declaredTerms.contains(term) {
                    declaredTerms.insert(term)
                    let number = numbers[term] ?? {
                        terms.append(term)
                        frequency.append(0)
                        inText.append(false)
                        numbers[term] = terms.count - 1
                        return terms.count - 1
                    }()
                    frequency[number] += options.declaredKeywordWeight
                }
            }
        }

        // The IDF of each admissible term, 0 for terms the bounds leave out, nil until asked.
        var idfs = [Double?](repeating: nil, count: terms.count)
        func admissible(_ number: Int) -> Double? {
            if let known = idfs[number] { return known > 0 ? known : nil }
            let term = terms[number]
            if term.utf8.count < options.minNumberDigits, term.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                idfs[number] = 0
                return nil
            }
            let df = scratch.map { $0.documentFrequency(of: term, index: number, in: analyzed, statistics: statistics) }
                ?? statistics.documentFrequency(of: term)
            var ok = df >= options.minDocumentFrequency || documentCount == 0
            if documentCount >= options.minDocumentsForMaxRatio,
               Double(df) > options.maxDocumentFrequencyRatio * Double(documentCount) { ok = false }
            let idf = ok ? Self.idf(documentFrequency: df, documentCount: documentCount) : 0
            idfs[number] = idf
            return ok ? idf : nil
        }

        var scored: [Candidate] = []
        for number in terms.indices where frequency[number] >= options.minTermFrequency {
            guard let idf = admissible(number) else { continue }
            scored.append(Candidate(term: terms[number], shown: .term(number), score: frequency[number] * idf,
                                    frequency: frequency[number], declaredOnly: !inText[number]))
        }
        scored += phrases(in: analyzed, terms: terms, termIndexes: termIndexes, fieldWeights: fieldWeights,
                          surfaceOf: surfaceOf, admissible: admissible)

        var result: [Keyword] = []
        let maxDeclaredOnly = Int((Double(options.maxKeywords) * options.maxDeclaredOnlyShare).rounded(.down))
        var declaredOnlyCount = 0
        var phraseCount = 0
        Candidate.inRankOrder(&scored) { candidate in
            if result.count >= options.maxKeywords { return false }
            if candidate.declaredOnly {
                guard declaredOnlyCount < maxDeclaredOnly else { return true }
                declaredOnlyCount += 1
            }
            let text: String
            switch candidate.shown {
            case .term(let number):
                text = surfaceOf(number)
            case .phrase(let words):
                guard phraseCount < options.maxPhrases else { return true }
                phraseCount += 1
                text = words
            }
            result.append(Keyword(term: candidate.term, text: text, weight: candidate.score, frequency: candidate.frequency))
            return true
        }
        if let best = result.first?.weight, best > 0 {
            for index in result.indices { result[index].weight /= best }
        }
        return result
    }

    /// A term or phrase in the running.
    struct Candidate {
        /// What people are shown: a term's surface, found by its number once it is chosen, or a
        /// phrase's words.
        enum Shown {
            case term(Int)
            case phrase(String)
        }

        var term: String
        var shown: Shown
        var score: Double
        /// The field-weighted frequency on the page.
        var frequency: Double
        var declaredOnly: Bool

        /// Ranks above: higher score, then the term first in byte order.
        @inline(__always)
        static func above(_ a: Candidate, _ b: Candidate) -> Bool {
            a.score != b.score ? a.score > b.score : a.term < b.term
        }

        /// Calls `body` with `candidates` best first until it returns false. A page has hundreds of
        /// candidates and keeps 25, so they are ordered as they are taken (a heap) rather than
        /// sorted whole; the order is the same.
        static func inRankOrder(_ candidates: inout [Candidate], _ body: (Candidate) -> Bool) {
            var count = candidates.count
            candidates.withUnsafeMutableBufferPointer { heap in
                func siftDown(_ start: Int, _ count: Int) {
                    var parent = start
                    while true {
                        let left = 2 * parent + 1, right = left + 1
                        var best = parent
                        if left < count, above(heap[left], heap[best]) { best = left }
                        if right < count, above(heap[right], heap[best]) { best = right }
                        if best == parent { return }
                        heap.swapAt(parent, best)
                        parent = best
                    }
                }
                for index in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(index, count) }
                while count > 0 {
                    guard body(heap[0]) else { return }
                    count -= 1
                    heap.swapAt(0, count)
                    siftDown(0, count)
                }
            }
        }
    }

    /// Numbers the terms of tokens whose analyzer numbering is gone (tokens edited by hand).
    static func number(_ tokens: [Token]) -> (terms: [String], indexes: [Int32]) {
        var numbers: [String: Int32] = [:]
        var terms: [String] = []
        let indexes = tokens.map { token -> Int32 in
            if let number = numbers[token.term] { return number }
            let number = Int32(terms.count)
            numbers[token.term] = number
            terms.append(token.term)
            return number
        }
        return (terms, indexes)
    }

    /// Splits the meta keywords field into declarations at its commas.
    func splitMetaKeywords(_ analyzed: AnalyzedText) -> [[String]] {
        var declarations: [[String]] = []
        var current: [String] = []
        var lastPosition = -1
        for token in analyzed.tokens where token.field == .keywords {
            // Each comma-separated entry is its own segment, so entries are a position apart.
            if lastPosition >= 0, token.position > lastPosition + 1, !current.isEmpty {
                declarations.append(current)
                current = []
            }
            current.append(token.term)
            lastPosition = token.position
        }
        if !current.isEmpty { declarations.append(current) }
        return declarations
    }

    /// 2- and 3-term phrases of adjacent words, weighted like terms, scored by frequency times
    /// the mean IDF of their terms. A bigram inside a kept trigram of equal frequency is dropped.
    func phrases(in analyzed: AnalyzedText, terms: [String], termIndexes: [Int32], fieldWeights: [Double],
                 surfaceOf: (Int) -> String, admissible: (Int) -> Double?) -> [Candidate] {
        // A phrase is its term numbers packed 21 bits each (plus one, so 0 means none).
        guard terms.count < PhraseCounts.maximumTerms else { return [] }
        let tokens = analyzed.tokens
        var counts = PhraseCounts(expected: tokens.count * 2)
        for index in tokens.indices where tokens[index].field != .keywords {
            let weight = fieldWeights[tokens[index].field.ordinal]
            var key = UInt64(termIndexes[index]) + 1
            var length = 1
            var next = index + 1
            while next < tokens.count, length < 3, tokens[next].field == tokens[index].field,
                  tokens[next].position == tokens[next - 1].position + 1 {
                key = key << 21 | (UInt64(termIndexes[next]) + 1)
                length += 1
                counts.add(key, weight)
                next += 1
            }
        }
        var kept: [(terms: [Int], tf: Double, idf: Double)] = []
        counts.forEach { key, tf in
            guard tf >= options.minPhraseFrequency else { return }
            let numbers = PhraseCounts.unpack(key)
            guard Set(numbers).count == numbers.count else { return }
            var idfSum = 0.0
            for number in numbers {
                guard let idf = admissible(number) else { return }
                idfSum += idf
            }
            kept.append((numbers, tf, idfSum / Double(numbers.count)))
        }
        let trigrams = kept.filter { $0.terms.count == 3 }
        return kept.compactMap { phrase in
            if phrase.terms.count == 2, trigrams.contains(where: {
                $0.tf >= phrase.tf && ($0.terms[0..<2].elementsEqual(phrase.terms) || $0.terms[1..<3].elementsEqual(phrase.terms))
            }) { return nil }
            let text = phrase.terms.map(surfaceOf).joined(separator: " ")
            return Candidate(term: phrase.terms.map { terms[$0] }.joined(separator: " "), shown: .phrase(text),
                             score: phrase.tf * phrase.idf, frequency: phrase.tf, declaredOnly: false)
        }
    }
}

/// Weighted counts of packed phrase keys: open addressing, linear probing, sized once per page.
struct PhraseCounts {
    static let maximumTerms = (1 << 21) - 1
    private var keys: [UInt64]
    private var values: [Double]
    private let mask: Int

    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: 0, count: capacity)
        values = [Double](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    @inline(__always)
    mutating func add(_ key: UInt64, _ weight: Double) {
        var slot = Int(truncatingIfNeeded: ByteHash.mix(key)) & mask
        while keys[slot] != 0, keys[slot] != key { slot = (slot + 1) & mask }
        keys[slot] = key
        values[slot] += weight
    }

    func forEach(_ body: (UInt64, Double) -> Void) {
        for slot in keys.indices where keys[slot] != 0 { body(keys[slot], values[slot]) }
    }

    /// The term numbers of a packed key, first word first.
    static func unpack(_ key: UInt64) -> [Int] {
        var numbers: [Int] = []
        var rest = key
        while rest != 0 {
            numbers.append(Int(rest & UInt64(maximumTerms)) - 1)
            rest >>= 21
        }
        return numbers.reversed()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Double {
    /// Natural logarithm.
    var logarithm: Double { log(self) }
}
