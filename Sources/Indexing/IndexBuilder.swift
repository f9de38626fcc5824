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
        let chunks = analyzeAll(sorted, threads: max(1, threads))

        // Chunk term numbers → one numbering for the catalog, one string hash per distinct
        // term per chunk; then postings counted, placed, and their terms put in order.
        var globalIDs: [String: Int32] = [:]
        var globalTerms: [String] = []
        let chunkMaps = chunks.map { chunk in
            chunk.terms.map { term -> Int32 in
                if let id = globalIDs[term] { return id }
                let id = Int32(globalTerms.count)
                globalIDs[term] = id
                globalTerms.append(term)
                return id
            }
        }
        let termCount = globalTerms.count
        // Each worker counts and then places the postings of a run of whole chunks, so every
        // list still holds its items in order, whatever the thread count.
        let workers = max(1, min(threads, chunks.count))
        let firstChunks = (0...workers).map { chunks.count * $0 / workers }
        let counts = (0..<workers).map { _ in DisjointWrites<Int>(count: termCount, repeating: 0) }
        inParallel(workers) { worker in
            for chunk in firstChunks[worker]..<firstChunks[worker + 1] {
                let map = chunkMaps[chunk]
                for local in chunks[chunk].postingTerms { counts[worker][Int(map[Int(local)])] += 1 }
            }
        }
        // Byte order, which for analysed (normalized) terms is their order as strings, without
        // comparing beyond-ASCII text character by character.
        let order = globalTerms.indices.sorted { globalTerms[$0].utf8.lexicographicallyPrecedes(globalTerms[$1].utf8) }
        var starts = [Int](repeating: 0, count: termCount + 1)
        // Where each worker's next posting of each term goes.
        let next = (0..<workers).map { _ in DisjointWrites<Int>(count: termCount, repeating: 0) }
        for (rank, id) in order.enumerated() {
            var position = starts[rank]
            for worker in 0..<workers {
                next[worker][id] = position
                position += counts[worker][id]
            }
            starts[rank + 1] = position
        }
        let total = starts[termCount]
        let documents = DisjointWrites<UInt32>(count: total, repeating: 0)
        let frequencies = DisjointWrites<Float>(count: total, repeating: 0)
        let lengths = DisjointWrites<Float>(count: sorted.count, repeating: 0)
        let firstDocuments = chunks.reduce(into: [0]) { $0.append($0.last! + $1.itemStarts.count - 1) }
        inParallel(workers) { worker in
            let next = next[worker]
            for chunkIndex in firstChunks[worker]..<firstChunks[worker + 1] {
                let chunk = chunks[chunkIndex], map = chunkMaps[chunkIndex]
                var document = firstDocuments[chunkIndex]
                for item in chunk.itemStarts.indices.dropLast() {
                    var length: Float = 0
                    for posting in chunk.itemStarts[item]..<chunk.itemStarts[item + 1] {
                        let id = Int(map[Int(chunk.postingTerms[posting])])
                        let frequency = chunk.postingFrequencies[posting]
                        documents[next[id]] = UInt32(document)
                        frequencies[next[id]] = frequency
                        next[id] += 1
                        length += frequency
                    }
                    lengths[document] = length
                    document += 1
                }
            }
        }
        let itemLanguages = chunks.reduce(into: [String: Int]()) { total, chunk in
            total.merge(chunk.languages, uniquingKeysWith: +)
        }
        return CatalogIndex(configuration: configuration, items: sorted, corpusStatistics: corpusStatistics,
                            itemLanguages: itemLanguages, terms: order.map { globalTerms[$0] }, postingStarts: starts, postingDocuments: documents.array,
                            postingFrequencies: frequencies.array, documentLengths: lengths.array,
                            threads: max(1, threads))
    }

    /// The field-weighted term frequencies of one item, terms sorted.
    public func termFrequencies(of item: CatalogItem, scratch: AnalysisScratch) -> [(String, Float)] {
        var numbering = TermNumbering()
        var counter = ItemTermCounter()
        var counted: [(Int32, Float)] = []
        count(item, scratch: scratch, numbering: &numbering, into: &counter) { counted.append(($0, $1)) }
        return counted.map { (numbering.terms[Int($0.0)], $0.1) }.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    }

    /// Counts `item`'s terms (title, body, then keywords, each occurrence weighted by its field)
    /// and hands each distinct term, numbered by `numbering`, with its frequency to `body` in
    /// first-met order.
    ///
    /// An item analyses in its first declared language. One that declares none analyses in the
    /// language its text reads as (``itemLanguage(_:words:stopWords:)``): first in the default
    /// language, kept when the text reads as that, else counted again in the one detected. Terms
    /// are counted under the scratch's numbers and numbered once each at the end, so a count
    /// thrown away costs nothing more.
    ///
    /// - Returns: the language the item was analysed in.
    @discardableResult
    func count(_ item: CatalogItem, scratch: AnalysisScratch, numbering: inout TermNumbering,
               into counter: inout ItemTermCounter, _ body: (Int32, Float) -> Void) -> String {
        /// Counts the item in `language` into `counter`, again if the scratch's word table
        /// started again between its fields (its numbers from before would mean other terms).
        func count(in language: String) -> (words: Int, stopWords: Int) {
            var read = countTerms(of: item, language: language, scratch: scratch) { counter.add($0, $1) }
            if !read.oneTable {
                counter.clear()
                read = countTerms(of: item, language: language, scratch: scratch) { counter.add($0, $1) }
            }
            return (read.words, read.stopWords)
        }
        let language: String
        if let declared = analyzer.pinnedLanguage ?? item.languages.first {
            language = declared
            _ = count(in: declared)
        } else {
            let read = count(in: analyzer.defaultLanguage)
            language = itemLanguage(item, words: read.words, stopWords: read.stopWords)
            if language != analyzer.defaultLanguage {
                counter.clear()
                _ = count(in: language)
            }
        }
        counter.finish { body(numbering.number(of: $0, in: scratch), $1) }
        return language
    }

    /// The language an item that declares none is analysed in, as a page's is chosen
    /// (``PageLanguage/choose(declared:text:fallback:englishStopShare:words:)``) from its title
    /// and the start of its body, with the stop words its analysis in the default language met.
    func itemLanguage(_ item: CatalogItem, words: Int, stopWords: Int) -> String {
        let share = analyzer.defaultLanguage == "en" && words > 0 ? Double(stopWords) / Double(words) : nil
        return PageLanguage.choose(declared: nil, text: Self.detectionText(item), fallback: analyzer.defaultLanguage,
                                   englishStopShare: share, words: words).code
    }

    /// What detection reads of an item: its title, then its body, ``LanguageDetector/maximumBytes`` at most.
    static func detectionText(_ item: CatalogItem) -> String {
        let text = item.title + " " + item.body
        return text.utf8.count <= LanguageDetector.maximumBytes ? text
            : String(decoding: text.utf8.prefix(LanguageDetector.maximumBytes), as: UTF8.self)
    }

    /// Hands each term occurrence of `item`'s title, body and keywords in `language` to `body`
    /// (the scratch's term number, the field's weight); returns the words and stop words read,
    /// and whether every field was numbered in one generation of the scratch's word table.
    func countTerms(of item: CatalogItem, language: String, scratch: AnalysisScratch,
                    _ body: (Int32, Float) -> Void) -> (words: Int, stopWords: Int, oneTable: Bool) {
        var words = 0, stopWords = 0
        var generation: Int?
        var oneTable = true
        func add(_ text: String, _ boost: Double) {
            guard !text.isEmpty else { return }
            let weight = Float(boost)
            let read = analyzer.forEachTermNumber(in: text, language: language, scratch: scratch) { body($0, weight) }
            // The first field may start a table (another language); a later one must not.
            if let generation, generation != scratch.tableGeneration { oneTable = false }
            generation = scratch.tableGeneration
            words += read.words
            stopWords += read.stopWords
        }
        add(item.title, configuration.titleBoost)
        add(item.body, configuration.bodyBoost)
        for keyword in item.keywords { add(keyword, configuration.keywordBoost) }
        return (words, stopWords, oneTable)
    }

    /// Items of one chunk as postings: term numbers of the chunk's own and frequencies, item by item.
    struct ChunkPostings {
        var terms: [String] = []
        var postingTerms: [Int32] = []
        var postingFrequencies: [Float] = []
        var itemStarts: [Int] = [0]
        /// Items analysed in each language.
        var languages: [String: Int] = [:]
    }

    func analyzeAll(_ items: [CatalogItem], threads: Int) -> [ChunkPostings] {
        let chunk = max(64, (items.count + threads * 8 - 1) / (threads * 8))
        let chunks = (items.count + chunk - 1) / chunk
        let results = DisjointWrites(count: chunks, repeating: ChunkPostings())
        // One scratch per worker, not per chunk: a word already stemmed stays stemmed for the
        // worker's next chunks. Chunks are numbered on their own, so the result is the same.
        let workers = max(1, min(threads, chunks))
        let work: @Sendable (Int) -> Void = { worker in
            let scratch = AnalysisScratch()
            var counter = ItemTermCounter()
            for chunkIndex in stride(from: worker, to: chunks, by: workers) {
                var numbering = TermNumbering()
                var postings = ChunkPostings()
                for index in (chunkIndex * chunk)..<min(items.count, (chunkIndex + 1) * chunk) {
                    let language = count(items[index], scratch: scratch, numbering: &numbering, into: &counter) { number, frequency in
                        postings.postingTerms.append(number)
                        postings.postingFrequencies.append(frequency)
                    }
                    postings.languages[language, default: 0] += 1
                    postings.itemStarts.append(postings.postingTerms.count)
                }
                postings.terms = numbering.terms
                results[chunkIndex] = postings
            }
        }
        inParallel(workers, work)
        return results.array
    }
}

/// Numbers of our own for a scratch's term numbers, which last one filling of one of its word
/// tables only (``AnalysisScratch/tableGeneration``): each scratch number costs one string lookup
/// per filling, then an array read. The numbers of the last few fillings are kept, so that items
/// read first in the default language and then in their own do not start a filling's afresh.
struct TermNumbering {
    private(set) var terms: [String] = []
    private var byTerm: [String: Int32] = [:]
    private var byScratchNumber: [Int32] = []
    private var generation = -1
    /// Earlier fillings' numbers, set aside while another is current.
    private var aside: [(generation: Int, numbers: [Int32])] = []

    @inline(__always)
    mutating func number(of scratchNumber: Int32, in scratch: AnalysisScratch) -> Int32 {
        if generation != scratch.tableGeneration { switchFilling(to: scratch.tableGeneration) }
        let slot = Int(scratchNumber)
        if slot >= byScratchNumber.count {
            byScratchNumber.append(contentsOf: repeatElement(-1, count: slot + 1 - byScratchNumber.count))
        }
        if byScratchNumber[slot] >= 0 { return byScratchNumber[slot] }
        let term = scratch.term(number: scratchNumber)
        let number: Int32
        if let known = byTerm[term] { number = known } else {
            number = Int32(terms.count)
            byTerm[term] = number
            terms.append(term)
        }
        byScratchNumber[slot] = number
        return number
    }

    private mutating func switchFilling(to next: Int) {
        if generation >= 0 { aside.append((generation, byScratchNumber)) }
        if let index = aside.firstIndex(where: { $0.generation == next }) {
            byScratchNumber = aside.remove(at: index).numbers
        } else {
            byScratchNumber = []
        }
        if aside.count > AnalysisScratch.maximumTables { aside.removeFirst() }
        generation = next
    }
}

/// One item's term frequencies by the scratch's term number: a dense table reused item after item, cleared
/// through the list of numbers it touched.
struct ItemTermCounter {
    private var frequencies: [Float] = []
    private var seen: [Bool] = []
    private var touched: [Int32] = []

    @inline(__always)
    mutating func add(_ number: Int32, _ weight: Float) {
        let slot = Int(number)
        if slot >= frequencies.count {
            frequencies.append(contentsOf: repeatElement(0, count: slot + 1 - frequencies.count))
            seen.append(contentsOf: repeatElement(false, count: slot + 1 - seen.count))
        }
        if !seen[slot] {
            seen[slot] = true
            touched.append(number)
        }
        frequencies[slot] += weight
    }

    /// Hands over the item's terms and frequencies, and clears for the next item.
    mutating func finish(_ body: (Int32, Float) -> Void) {
        for number in touched { body(number, frequencies[Int(number)]) }
        clear()
    }

    /// Forgets what was counted.
    mutating func clear() {
        for number in touched {
            frequencies[Int(number)] = 0
            seen[Int(number)] = false
        }
        touched.removeAll(keepingCapacity: true)
    }
}

/// Memory several threads write at once, each at indexes no other thread touches, read once
/// all writers have finished.
final class DisjointWrites<Element>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Element>
    let count: Int

    init(count: Int, repeating value: Element) {
        self.count = count
        storage = .allocate(capacity: max(1, count))
        storage.initialize(repeating: value, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    subscript(index: Int) -> Element {
        @inline(__always) get { storage[index] }
        @inline(__always) set { storage[index] = newValue }
    }

    var array: [Element] { Array(UnsafeBufferPointer(start: storage, count: count)) }
}

/// Runs `body` for workers `0..<workers`, on the calling thread alone when there is one.
func inParallel(_ workers: Int, _ body: @Sendable (Int) -> Void) {
    if workers <= 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
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
