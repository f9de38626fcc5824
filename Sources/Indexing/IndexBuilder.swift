import Dispatch
public import SelectionCore
public import TextAnalysis

/// Builds a ``CatalogIndex`` from catalog items: analysis in parallel, postings merged in
/// item-id order so the result is the same whatever the thread count.
public struct IndexBuilder: Sendable {
    public var analyzer: Analyzer
    public var configuration: IndexConfiguration

    public init(analyzer: Analyzer = Analyzer(), configuration: IndexConfiguration = IndexConfiguration()) {
        self.analyzer = analyzer
        self.configuration = configuration
    }

    /// Indexes `items`.
    /// - Parameters:
    ///   - corpusStatistics: background document frequencies for page keywords.
    ///   - threads: analysis threads (1 for a single-threaded build).
    /// - Throws: ``CatalogError/duplicateID(_:)`` when two items share an id.
    public func build(_ items: [CatalogItem], corpusStatistics: CorpusStatistics = CorpusStatistics(),
                      threads: Int = 1) throws -> CatalogIndex {
        let sorted = items.sorted { $0.id < $1.id }
        for index in sorted.indices.dropFirst() where sorted[index].id == sorted[index - 1].id {
            throw CatalogError.duplicateID(sorted[index].id)
        }
        let analyzed = analyzeAll(sorted, threads: max(1, threads))

        var postings: [String: [(UInt32, Float)]] = [:]
        var lengths = [Float](repeating: 0, count: sorted.count)
        for (document, termFrequencies) in analyzed.enumerated() {
            var length: Float = 0
            for (term, frequency) in termFrequencies {
                postings[term, default: []].append((UInt32(document), frequency))
                length += frequency
            }
            lengths[document] = length
        }
        let terms = postings.keys.sorted()
        var starts: [Int] = [0]
        starts.reserveCapacity(terms.count + 1)
        var documents: [UInt32] = []
        var frequencies: [Float] = []
        for term in terms {
            for (document, frequency) in postings[term]! {
                documents.append(document)
                frequencies.append(frequency)
            }
            starts.append(documents.count)
        }
        return CatalogIndex(configuration: configuration, items: sorted, corpusStatistics: corpusStatistics,
                            terms: terms, postingStarts: starts, postingDocuments: documents,
                            postingFrequencies: frequencies, documentLengths: lengths)
    }

    /// The field-weighted term frequencies of one item, terms sorted.
    public func termFrequencies(of item: CatalogItem, scratch: AnalysisScratch) -> [(String, Float)] {
        var counts: [String: Float] = [:]
        let language = item.languages.first
        func add(_ text: String, _ boost: Double) {
            guard !text.isEmpty else { return }
            for token in analyzer.tokens(in: text, language: language, scratch: scratch) {
                counts[token.term, default: 0] += Float(boost)
            }
        }
        add(item.title, configuration.titleBoost)
        add(item.body, configuration.bodyBoost)
        for keyword in item.keywords { add(keyword, configuration.keywordBoost) }
        return counts.sorted { $0.key < $1.key }
    }

    func analyzeAll(_ items: [CatalogItem], threads: Int) -> [[(String, Float)]] {
        let results = ResultSlots<[(String, Float)]>(count: items.count)
        let chunk = max(64, (items.count + threads * 8 - 1) / (threads * 8))
        let chunks = (items.count + chunk - 1) / chunk
        let work: @Sendable (Int) -> Void = { chunkIndex in
            let scratch = AnalysisScratch()
            let range = (chunkIndex * chunk)..<min(items.count, (chunkIndex + 1) * chunk)
            for index in range { results.set(index, termFrequencies(of: items[index], scratch: scratch)) }
        }
        if threads == 1 || chunks <= 1 {
            for chunkIndex in 0..<chunks { work(chunkIndex) }
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
        }
        return results.values
    }
}

/// Write-once slots filled from several threads, each index by exactly one writer.
private final class ResultSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value?>
    private let count: Int
    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }
    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }
    // Each index is written by one chunk only, and read after all writers finished.
    func set(_ index: Int, _ value: Value) { storage[index] = value }
    var values: [Value] { (0..<count).map { storage[$0]! } }
}

/// A catalog that cannot be indexed.
public enum CatalogError: Error, Hashable, Sendable, CustomStringConvertible {
    case duplicateID(ItemID)

    public var description: String {
        switch self {
        case .duplicateID(let id): "two catalog items have the id \"\(id)\""
        }
    }
}
