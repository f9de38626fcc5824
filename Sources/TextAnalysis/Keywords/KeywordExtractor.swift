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
    public func extract(from analyzed: AnalyzedText, declared: [[String]] = [],
                        statistics: any TermStatistics) -> [Keyword] {
        let documentCount = statistics.documentCount
        var frequency: [String: Double] = [:]
        var inText: Set<String> = []
        for token in analyzed.tokens where token.field != .keywords {
            frequency[token.term, default: 0] += options.fieldWeights[token.field] ?? 1
            inText.insert(token.term)
        }
        var declarations = declared + splitMetaKeywords(analyzed)
        declarations = Array(declarations.filter { !$0.isEmpty }.prefix(options.maxDeclaredKeywords))
        var declaredTerms: Set<String> = []
        for declaration in declarations {
            for term in Set(declaration) where !declaredTerms.contains(term) {
                declaredTerms.insert(term)
                frequency[term, default: 0] += options.declaredKeywordWeight
            }
        }

        var idfCache: [String: Double] = [:]
        func admissible(_ term: String) -> Double? {
            if let cached = idfCache[term] { return cached > 0 ? cached : nil }
            if term.utf8.count < options.minNumberDigits, term.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                idfCache[term] = 0
                return nil
            }
            let df = statistics.documentFrequency(of: term)
            var ok = df >= options.minDocumentFrequency || documentCount == 0
            if documentCount >= options.minDocumentsForMaxRatio,
               Double(df) > options.maxDocumentFrequencyRatio * Double(documentCount) { ok = false }
            let idf = ok ? Self.idf(documentFrequency: df, documentCount: documentCount) : 0
            idfCache[term] = idf
            return ok ? idf : nil
        }

        var scored: [(term: String, text: String, score: Double, declaredOnly: Bool)] = []
        for (term, tf) in frequency where tf >= options.minTermFrequency {
            guard let idf = admissible(term) else { continue }
            scored.append((term, analyzed.surfaces[term] ?? term, tf * idf, !inText.contains(term)))
        }
        scored += phrases(in: analyzed, admissible: admissible)

        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.term < $1.term }
        var result: [Keyword] = []
        let maxDeclaredOnly = Int((Double(options.maxKeywords) * options.maxDeclaredOnlyShare).rounded(.down))
        var declaredOnlyCount = 0
        var phraseCount = 0
        for candidate in scored {
            if result.count >= options.maxKeywords { break }
            if candidate.declaredOnly {
                guard declaredOnlyCount < maxDeclaredOnly else { continue }
                declaredOnlyCount += 1
            }
            if candidate.term.contains(" ") {
                guard phraseCount < options.maxPhrases else { continue }
                phraseCount += 1
            }
            result.append(Keyword(term: candidate.term, text: candidate.text, weight: candidate.score))
        }
        if let best = result.first?.weight, best > 0 {
            for index in result.indices { result[index].weight /= best }
        }
        return result
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
    func phrases(in analyzed: AnalyzedText, admissible: (String) -> Double?)
        -> [(term: String, text: String, score: Double, declaredOnly: Bool)] {
        var frequency: [[String]: Double] = [:]
        let tokens = analyzed.tokens
        for index in tokens.indices where tokens[index].field != .keywords {
            let weight = options.fieldWeights[tokens[index].field] ?? 1
            var terms = [tokens[index].term]
            var next = index + 1
            while next < tokens.count, terms.count < 3, tokens[next].field == tokens[index].field,
                  tokens[next].position == tokens[next - 1].position + 1 {
                terms.append(tokens[next].term)
                frequency[terms, default: 0] += weight
                next += 1
            }
        }
        var kept: [(terms: [String], tf: Double, idf: Double)] = []
        for (terms, tf) in frequency where tf >= options.minPhraseFrequency && Set(terms).count == terms.count {
            var idfSum = 0.0
            var ok = true
            for term in terms {
                guard let idf = admissible(term) else { ok = false; break }
                idfSum += idf
            }
            if ok { kept.append((terms, tf, idfSum / Double(terms.count))) }
        }
        let trigrams = kept.filter { $0.terms.count == 3 }
        return kept.compactMap { phrase in
            if phrase.terms.count == 2, trigrams.contains(where: {
                $0.tf >= phrase.tf && ($0.terms[0..<2].elementsEqual(phrase.terms) || $0.terms[1..<3].elementsEqual(phrase.terms))
            }) { return nil }
            let text = phrase.terms.map { analyzed.surfaces[$0] ?? $0 }.joined(separator: " ")
            return (phrase.terms.joined(separator: " "), text, phrase.tf * phrase.idf, false)
        }
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
