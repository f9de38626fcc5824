public import SelectionCore
public import TextAnalysis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable inverted index over catalog items, shared by every thread.
///
/// Items are stored in item-id order, so a document number's order is its id's order and ties
/// break on id for free. Each term's postings hold (document, field-weighted frequency) sorted
/// by document, with per-term score bounds for MaxScore pruning.
///
/// - Complexity: a search touches only the postings of the query's terms.
public final class CatalogIndex: TermStatistics, Sendable {
    public let configuration: IndexConfiguration
    /// Items, sorted by id.
    public let items: [CatalogItem]
    /// Background statistics for page keywords beyond the catalog itself, per language (may be empty).
    public let corpusStatistics: CorpusStatistics
    /// How many items were analysed in each language (declared, or read from their text).
    public let itemLanguages: [String: Int]

    /// The terms, sorted, and their numbers.
    let terms: TermDictionary
    /// Postings of term `t` are `postingStarts[t]..<postingStarts[t + 1]`.
    let postingStarts: IndexArray<Int>
    let postingDocuments: PostingDocuments
    let postingFrequencies: PostingFrequencies
    /// Field-weighted length of each item.
    let itemLengths: ItemLengths
    /// BM25's term-frequency part by item length and small frequency.
    let impacts: BM25Impacts
    /// Euclidean norm of each item's TF-IDF vector.
    let documentNorms: [Float]
    /// Per term: the largest BM25 tf part over its postings (times idf, a bound on its score).
    let maxBM25Part: [Float]
    /// Per term: the largest normalised TF-IDF weight over its postings.
    let maxCosineWeight: [Float]
    public let averageDocumentLength: Double
    /// Accumulators lent to searches, one per search running at once.
    let searchScratch: SearchScratchPool
    /// The catalog's statistics, and those of the catalog with the corpus, are fixed for the
    /// index's life: page keywords may remember their document frequencies under these keys.
    public let cacheKey: UInt64? = StatisticsSerial.next()
    /// ``keywordStatistics(for:)`` of each language the catalog or the corpus has.
    private let keywordStatisticsByLanguage: [String: any TermStatistics]

    /// Statistics derived from the postings: computed when an index is built, stored in and
    /// read back from snapshots.
    struct DerivedStatistics {
        var documentNorms: [Float]
        var maxBM25Part: [Float]
        var maxCosineWeight: [Float]
    }

    convenience init(configuration: IndexConfiguration, items: [CatalogItem], corpusStatistics: CorpusStatistics,
                     itemLanguages: [String: Int], terms: [String], postingStarts: [Int], postingDocuments: [UInt32],
                     postingFrequencies: [Float], documentLengths: [Float], threads: Int = 1) {
        let starts = IndexArray(postingStarts)
        let frequencies = PostingFrequencies(postingFrequencies)
        let lengths = ItemLengths(documentLengths)
        let impacts = BM25Impacts(lengths: lengths.values, bm25: configuration.bm25,
                                  averageLength: Self.averageLength(lengths))
        // Derived from the plain item numbers, before they are encoded as gaps.
        let documents = IndexArray(postingDocuments)
        let derived = Self.derive(terms: terms.count, itemCount: items.count, postingStarts: starts, postingDocuments: documents,
                                  postingFrequencies: frequencies, lengths: lengths, impacts: impacts, threads: threads)
        let encoded = PostingDocuments(documents.buffer, postingStarts: starts.buffer)
        self.init(configuration: configuration, items: items, corpusStatistics: corpusStatistics, itemLanguages: itemLanguages,
                  terms: TermDictionary(terms), postingStarts: starts, postingDocuments: encoded,
                  frequencies: frequencies, lengths: lengths, derived: derived)
    }

    init(configuration: IndexConfiguration, items: [CatalogItem], corpusStatistics: CorpusStatistics,
         itemLanguages: [String: Int], terms: TermDictionary, postingStarts: IndexArray<Int>,
         postingDocuments: PostingDocuments, frequencies postingFrequencies: PostingFrequencies, lengths: ItemLengths,
         derived statistics: DerivedStatistics) {
        self.configuration = configuration
        self.items = items
        self.corpusStatistics = corpusStatistics
        self.itemLanguages = itemLanguages
        self.terms = terms
        self.postingStarts = postingStarts
        self.postingDocuments = postingDocuments
        self.postingFrequencies = postingFrequencies
        self.itemLengths = lengths
        let average = Self.averageLength(lengths)
        self.averageDocumentLength = average
        impacts = BM25Impacts(lengths: lengths.values, bm25: configuration.bm25, averageLength: average)
        self.searchScratch = SearchScratchPool(capacity: items.count)
        self.documentNorms = statistics.documentNorms
        self.maxBM25Part = statistics.maxBM25Part
        self.maxCosineWeight = statistics.maxCosineWeight
        keywordStatisticsByLanguage = Self.keywordStatistics(
            itemCount: items.count, itemLanguages: itemLanguages, corpus: corpusStatistics, terms: terms,
            postingStarts: postingStarts)
    }

    /// Per language: the catalog's items of that language, with the corpus's counts of it.
    private static func keywordStatistics(itemCount: Int, itemLanguages: [String: Int], corpus: CorpusStatistics,
                                          terms: TermDictionary, postingStarts: IndexArray<Int>) -> [String: any TermStatistics] {
        var result: [String: any TermStatistics] = [:]
        for language in Set(itemLanguages.keys).union(corpus.languages.keys) {
            let items = itemLanguages[language] ?? 0
            let catalog = items == 0 ? nil
                : CatalogShare(terms: terms, postingStarts: postingStarts, documentCount: items, cacheKey: StatisticsSerial.next())
            if let counts = corpus[language] {
                let parts: [any TermStatistics] = catalog.map { [$0, counts] } ?? [counts]
                result[language] = CombinedStatistics(parts, cacheKey: StatisticsSerial.next())
            } else {
                result[language] = catalog
            }
        }
        return result
    }

    /// The mean field-weighted item length, summed in item order.
    static func averageLength(_ lengths: ItemLengths) -> Double {
        let total = (0..<lengths.count).reduce(0.0) { $0 + Double(lengths[$1]) }
        return lengths.count == 0 ? 0 : total / Double(lengths.count)
    }

    /// Item norms and per-term score bounds, from the postings.
    ///
    /// With several `threads`, norms are summed by ranges of items (each item's sum still runs
    /// in term order) and bounds by ranges of terms, so the result is the same to
    /// the bit whatever the thread count.
    static func derive(terms termCount: Int, itemCount count: Int, postingStarts: IndexArray<Int>,
                       postingDocuments: IndexArray<UInt32>,
                       postingFrequencies: PostingFrequencies, lengths: ItemLengths, impacts: BM25Impacts,
                       threads: Int = 1) -> DerivedStatistics {
        let total = postingDocuments.count
        // Below a few thousand postings per thread, starting threads costs more than it saves.
        let workers = max(1, min(threads, total / 4096))
        let squaredNorms = DisjointWrites<Double>(count: count, repeating: 0)
        inParallel(workers) { worker in
            let items = count * worker / workers..<count * (worker + 1) / workers
            for term in 0..<termCount {
                var range = postingStarts[term]..<postingStarts[term + 1]
                let idf = TFIDF.idf(documentFrequency: range.count, documentCount: count)
                if workers > 1 {
                    let low = advance(postingDocuments.buffer, from: range.lowerBound, to: UInt32(items.lowerBound),
                                      end: range.upperBound)
                    let high = advance(postingDocuments.buffer, from: low, to: UInt32(items.upperBound), end: range.upperBound)
                    range = low..<high
                }
                for posting in range {
                    let weight = TFIDF.termWeight(frequency: Double(postingFrequencies[posting])) * idf
                    squaredNorms[Int(postingDocuments[posting])] += weight * weight
                }
            }
        }
        let norms = (0..<count).map { Float(sqrt(squaredNorms[$0])) }
        let bm25Bounds = DisjointWrites<Float>(count: termCount, repeating: 0)
        let cosineBounds = DisjointWrites<Float>(count: termCount, repeating: 0)
        // Terms split where the postings before them reach each thread's share.
        let firstTerms = (0...workers).map { worker -> Int in
            guard worker < workers else { return termCount }
            var low = 0, high = termCount
            while low < high {
                let middle = (low + high) / 2
                if postingStarts[middle] < total * worker / workers { low = middle + 1 } else { high = middle }
            }
            return low
        }
        inParallel(workers) { worker in
            for term in firstTerms[worker]..<firstTerms[worker + 1] {
                let range = postingStarts[term]..<postingStarts[term + 1]
                let idf = TFIDF.idf(documentFrequency: range.count, documentCount: count)
                var bestBM25: Float = 0
                var bestCosine = 0.0
                for posting in range {
                    let document = Int(postingDocuments[posting])
                    let frequency = postingFrequencies[posting]
                    let impact = BM25Impacts.part(impacts.bm25, frequency: frequency,
                                                  length: lengths[document], averageLength: impacts.averageLength)
                    bestBM25 = max(bestBM25, impact)
                    let norm = Double(norms[document])
                    if norm > 0 { bestCosine = max(bestCosine, TFIDF.termWeight(frequency: Double(frequency)) * idf / norm) }
                }
                bm25Bounds[term] = bestBM25
                cosineBounds[term] = Float(bestCosine)
            }
        }
        return DerivedStatistics(documentNorms: norms,
                                 maxBM25Part: bm25Bounds.array, maxCosineWeight: cosineBounds.array)
    }

    // MARK: TermStatistics (the catalog alone)

    public var documentCount: Int { items.count }

    public func documentFrequency(of term: String) -> Int {
        guard let id = terms.id(of: term) else { return 0 }
        return postingStarts[id + 1] - postingStarts[id]
    }

    /// The statistics keywords of a page in `language` are weighed against: the catalog's items
    /// in that language plus the corpus's pages in it; the whole catalog for a language neither has.
    public func keywordStatistics(for language: String) -> any TermStatistics {
        keywordStatisticsByLanguage[language] ?? self
    }

    /// Distinct terms in the index.
    public var termCount: Int { terms.count }
    /// Postings in the index.
    public var postingCount: Int { postingStarts.last ?? 0 }

    /// Bytes held by the index structures (postings, dictionary, per-item and per-term arrays),
    /// not counting the items' own text.
    public var structureBytes: Int {
        terms.byteCount + postingStarts.count * 8 + postingDocuments.byteCount
            + postingFrequencies.byteCount + itemLengths.byteCount + impacts.byteCount + documentNorms.count * 4
            + (maxBM25Part.count + maxCosineWeight.count) * 4
    }

    /// The position of the item with `id`, if the catalog has it (items are sorted by id).
    public func position(of id: ItemID) -> Int? {
        var low = 0, high = items.count
        while low < high {
            let mid = (low + high) >> 1
            if items[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < items.count && items[low].id == id ? low : nil
    }

    /// Whether item `document` contains the analysed `term` in any field.
    public func contains(_ term: String, document: Int) -> Bool {
        guard let id = terms.id(of: term) else { return false }
        return posting(ofTermID: id, in: document) != nil
    }

    /// The position of `term`'s posting for item `document`, if it has one (by its skip entries).
    func posting(ofTermID term: Int, in document: Int) -> Int? {
        var cursor = cursor(ofTermID: term)
        cursor.advance(to: UInt32(document))
        return cursor.document == UInt32(document) ? cursor.posting : nil
    }

    /// A cursor on the first posting of term number `term`.
    @inline(__always)
    func cursor(ofTermID term: Int) -> PostingCursor {
        postingDocuments.cursor(term: term, postingStarts: postingStarts.buffer)
    }

    /// BM25's term-frequency part of `posting`, an occurrence in item `document`, from the formula.
    func impact(posting: Int, document: Int) -> Float {
        BM25Impacts.part(impacts.bm25, frequency: postingFrequencies[posting], length: itemLengths[document],
                         averageLength: impacts.averageLength)
    }

    /// The field-weighted frequency of `term` in item `document` (by the skip entries of its posting list).
    func frequency(ofTermID term: Int, in document: Int) -> Float {
        posting(ofTermID: term, in: document).map { postingFrequencies[$0] } ?? 0
    }
}

/// The catalog's statistics seen from the items of one language: their count as the documents,
/// and a term's document frequency over the whole catalog, at most that count. Terms are the
/// language's own (stems, stop words), so a term's items are almost all of its language; the
/// bound keeps the few shared ones (names, numbers) from counting more items than there are.
struct CatalogShare: TermStatistics {
    let terms: TermDictionary
    let postingStarts: IndexArray<Int>
    let documentCount: Int
    let cacheKey: UInt64?

    func documentFrequency(of term: String) -> Int {
        guard let id = terms.id(of: term) else { return 0 }
        return min(postingStarts[id + 1] - postingStarts[id], documentCount)
    }
}
