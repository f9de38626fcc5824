public import SelectionCore

/// One item found by a search, with both relevance scores.
public struct ScoredItem: Hashable, Sendable {
    /// Position of the item in ``CatalogIndex/items``.
    public var document: Int
    /// The score the search ranked by.
    public var score: Double
    public var relevance: RelevanceScores
}

extension CatalogIndex {
    /// A query resolved against the index: known terms only, weights merged, bounds computed.
    struct PreparedQuery {
        struct Term {
            var id: Int
            var weight: Double
            var idfBM25: Double
            var idfTFIDF: Double
            /// Largest contribution this term can make to the ranking score.
            var bound: Double
        }
        var terms: [Term]
        var queryNorm: Double
    }

    func prepare(_ query: [WeightedTerm], model: RetrievalModel) -> PreparedQuery {
        // Merge repeated terms in query order: no dictionary order may reach a sum, so the
        // same query always gives bit-identical scores.
        var slot: [Int: Int] = [:]
        var merged: [(id: Int, weight: Double)] = []
        for term in query where term.weight > 0 {
            guard let id = termIDs[term.term].map(Int.init) else { continue }
            if let existing = slot[id] { merged[existing].weight += term.weight } else {
                slot[id] = merged.count
                merged.append((id, term.weight))
            }
        }
        merged.sort { $0.id < $1.id }
        let count = items.count
        var terms: [PreparedQuery.Term] = []
        var squaredNorm = 0.0
        for (id, weight) in merged {
            let df = postingStarts[id + 1] - postingStarts[id]
            let idfBM25 = BM25.idf(documentFrequency: df, documentCount: count)
            let idfTFIDF = TFIDF.idf(documentFrequency: df, documentCount: count)
            squaredNorm += (weight * idfTFIDF) * (weight * idfTFIDF)
            terms.append(.init(id: id, weight: weight, idfBM25: idfBM25, idfTFIDF: idfTFIDF, bound: 0))
        }
        let norm = squaredNorm.squareRoot()
        for index in terms.indices {
            let term = terms[index]
            let raw = model == .bm25
                ? term.weight * term.idfBM25 * Double(maxBM25Part[term.id])
                : (norm > 0 ? term.weight * term.idfTFIDF * Double(maxCosineWeight[term.id]) / norm : 0)
            // Bounds come from Float storage: widen them so that pruning stays safe.
            terms[index].bound = raw * (1 + 1e-5) + 1e-9
        }
        // Ascending bounds, then term id, so the order (and so the search) is deterministic.
        terms.sort { $0.bound != $1.bound ? $0.bound < $1.bound : $0.id < $1.id }
        return PreparedQuery(terms: terms, queryNorm: norm)
    }

    /// Contributions of one posting to both scores.
    @inline(__always)
    func contribution(_ term: PreparedQuery.Term, frequency: Float, document: Int, queryNorm: Double)
        -> (bm25: Double, cosine: Double) {
        (primaryContribution(term, frequency: frequency, document: document, queryNorm: queryNorm, model: .bm25),
         primaryContribution(term, frequency: frequency, document: document, queryNorm: queryNorm, model: .cosine))
    }

    /// The `limit` best items for `query` by `model`, best first, ties by item id.
    ///
    /// Document-at-a-time MaxScore: terms whose bounds together cannot lift an item into the
    /// current top `limit` stop driving the search and are only probed for items that the
    /// other terms made competitive. Results are exactly those of exhaustive scoring.
    ///
    /// - Parameters:
    ///   - isEligible: checked before an item is scored; items it rejects are skipped.
    /// - Complexity: O(P log k) for P postings of the query's terms, usually far fewer.
    public func search(_ query: [WeightedTerm], model: RetrievalModel = .bm25, limit: Int,
                       isEligible: (Int) -> Bool = { _ in true }) -> [ScoredItem] {
        guard limit > 0 else { return [] }
        let prepared = prepare(query, model: model)
        let terms = prepared.terms
        guard !terms.isEmpty else { return [] }
        var cursors = terms.map { postingStarts[$0.id] }
        let ends = terms.map { postingStarts[$0.id + 1] }
        // prefixBounds[i]: the most terms 0..<i can add together.
        var prefixBounds = [0.0]
        for term in terms { prefixBounds.append(prefixBounds.last! + term.bound) }

        var heap = TopKHeap(limit: limit)
        var firstEssential = 0
        // The essential lists' current documents in a min-heap, so the next candidate costs
        // O(log n) rather than a scan of every list (page queries have hundreds).
        var cursorsByDocument = CursorHeap()
        for index in terms.indices where cursors[index] < ends[index] {
            cursorsByDocument.push(document: postingDocuments[cursors[index]], list: index)
        }
        while true {
            // Lists that became non-essential leave the heap; they are probed below instead.
            while let top = cursorsByDocument.top, top.list < firstEssential { cursorsByDocument.pop() }
            guard let next = cursorsByDocument.top else { break }
            let target = next.document
            let document = Int(target)
            var current = 0.0
            while let top = cursorsByDocument.top, top.document == target {
                cursorsByDocument.pop()
                let index = top.list
                guard index >= firstEssential else { continue }
                current += primaryContribution(terms[index], frequency: postingFrequencies[cursors[index]],
                                               document: document, queryNorm: prepared.queryNorm, model: model)
                cursors[index] += 1
                if cursors[index] < ends[index] {
                    cursorsByDocument.push(document: postingDocuments[cursors[index]], list: index)
                }
            }
            if !isEligible(document) { continue }
            var pruned = false
            var index = firstEssential - 1
            while index >= 0 {
                if heap.isFull, current + prefixBounds[index + 1] < heap.threshold {
                    pruned = true
                    break
                }
                cursors[index] = advance(from: cursors[index], to: target, end: ends[index])
                if cursors[index] < ends[index], postingDocuments[cursors[index]] == target {
                    current += primaryContribution(terms[index], frequency: postingFrequencies[cursors[index]],
                                                   document: document, queryNorm: prepared.queryNorm, model: model)
                }
                index -= 1
            }
            if pruned { continue }
            let score = current
            if heap.offer(score: score, document: document) {
                // A higher threshold may turn more of the cheapest terms non-essential.
                while firstEssential < terms.count, heap.isFull,
                      prefixBounds[firstEssential + 1] < heap.threshold {
                    firstEssential += 1
                }
            }
        }
        // Both relevance scores, for the few results only: the hot loop computes just one.
        return heap.sortedResults().map { result in
            ScoredItem(document: result.document, score: result.score,
                       relevance: relevanceScores(prepared, document: result.document))
        }
    }

    /// One posting's contribution to the score of `model` (the one formula of each model).
    @inline(__always)
    func primaryContribution(_ term: PreparedQuery.Term, frequency: Float, document: Int, queryNorm: Double,
                             model: RetrievalModel) -> Double {
        let f = Double(frequency)
        switch model {
        case .bm25:
            return term.weight * term.idfBM25 * configuration.bm25.termFrequencyPart(
                frequency: f, length: Double(documentLengths[document]), averageLength: averageDocumentLength)
        case .cosine:
            let norm = Double(documentNorms[document])
            return norm > 0 && queryNorm > 0
                ? term.weight * term.idfTFIDF * TFIDF.termWeight(frequency: f) * term.idfTFIDF / (norm * queryNorm) : 0
        }
    }

    /// Both scores of `document`, summed over the query's terms in their prepared order.
    func relevanceScores(_ prepared: PreparedQuery, document: Int) -> RelevanceScores {
        var scores = RelevanceScores(bm25: 0, cosine: 0)
        for term in prepared.terms {
            let frequency = frequency(ofTermID: term.id, in: document)
            guard frequency > 0 else { continue }
            let part = contribution(term, frequency: frequency, document: document, queryNorm: prepared.queryNorm)
            scores.bm25 += part.bm25
            scores.cosine += part.cosine
        }
        return scores
    }

    /// The first posting at or after `from` whose document is ≥ `target` (galloping search).
    func advance(from start: Int, to target: UInt32, end: Int) -> Int {
        guard start < end, postingDocuments[start] < target else { return start }
        var step = 1
        var low = start
        var high = start + 1
        while high < end, postingDocuments[high] < target {
            low = high
            step <<= 1
            high = min(end, high + step)
        }
        high = min(high, end)
        while low < high {
            let mid = (low + high) >> 1
            if postingDocuments[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Exhaustive scoring of every item that has a query term: the oracle the tests hold
    /// ``search(_:model:limit:isEligible:)`` to.
    public func exhaustiveSearch(_ query: [WeightedTerm], model: RetrievalModel = .bm25, limit: Int) -> [ScoredItem] {
        let prepared = prepare(query, model: model)
        var scores: [Int: RelevanceScores] = [:]
        for term in prepared.terms {
            for posting in postingStarts[term.id]..<postingStarts[term.id + 1] {
                let document = Int(postingDocuments[posting])
                let part = contribution(term, frequency: postingFrequencies[posting], document: document,
                                        queryNorm: prepared.queryNorm)
                scores[document, default: RelevanceScores(bm25: 0, cosine: 0)].bm25 += part.bm25
                scores[document, default: RelevanceScores(bm25: 0, cosine: 0)].cosine += part.cosine
            }
        }
        let ranked = scores.map { ScoredItem(document: $0.key, score: model == .bm25 ? $0.value.bm25 : $0.value.cosine,
                                             relevance: $0.value) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }
        return Array(ranked.prefix(limit))
    }
}

/// (document, list) pairs ordered by document, then list: the next document to score.
struct CursorHeap {
    private var entries: [(document: UInt32, list: Int)] = []

    var top: (document: UInt32, list: Int)? { entries.first }

    @inline(__always)
    static func before(_ a: (document: UInt32, list: Int), _ b: (document: UInt32, list: Int)) -> Bool {
        a.document != b.document ? a.document < b.document : a.list < b.list
    }

    mutating func push(document: UInt32, list: Int) {
        entries.append((document, list))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(entries[child], entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < entries.count, Self.before(entries[left], entries[first]) { first = left }
            if right < entries.count, Self.before(entries[right], entries[first]) { first = right }
            if first == parent { return }
            entries.swapAt(parent, first)
            parent = first
        }
    }
}

/// The best `limit` (score, document) pairs seen so far; the root is the worst of them.
struct TopKHeap {
    let limit: Int
    private var entries: [(score: Double, document: Int)] = []

    init(limit: Int) { self.limit = limit }

    var isFull: Bool { entries.count >= limit }
    /// The score an item must beat (or equal with a smaller id) to enter.
    var threshold: Double { entries.first?.score ?? -.infinity }

    /// `a` ranks below `b`: lower score, or equal score and larger id.
    @inline(__always)
    static func worse(_ a: (score: Double, document: Int), _ b: (score: Double, document: Int)) -> Bool {
        a.score != b.score ? a.score < b.score : a.document > b.document
    }

    /// Adds the pair if it makes the top `limit`; returns whether it did.
    mutating func offer(score: Double, document: Int) -> Bool {
        let entry = (score: score, document: document)
        if entries.count < limit {
            entries.append(entry)
            siftUp(entries.count - 1)
            return true
        }
        guard Self.worse(entries[0], entry) else { return false }
        entries[0] = entry
        siftDown(0)
        return true
    }

    /// The pairs, best first.
    func sortedResults() -> [(score: Double, document: Int)] {
        entries.sorted { Self.worse($1, $0) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(entries[child], entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < entries.count, Self.worse(entries[left], entries[worst]) { worst = left }
            if right < entries.count, Self.worse(entries[right], entries[worst]) { worst = right }
            if worst == parent { return }
            entries.swapAt(parent, worst)
            parent = worst
        }
    }
}

extension CatalogIndex {
    /// The query terms each of `documents` contains, with their BM25 contributions, strongest
    /// first (ties by term).
    public func matchedTerms(_ query: [WeightedTerm], documents: [Int]) -> [[MatchedTerm]] {
        let prepared = prepare(query, model: .bm25)
        return documents.map { document in
            var matched: [MatchedTerm] = []
            for term in prepared.terms {
                let frequency = frequency(ofTermID: term.id, in: document)
                guard frequency > 0 else { continue }
                let part = contribution(term, frequency: frequency, document: document, queryNorm: prepared.queryNorm)
                matched.append(MatchedTerm(term: terms[term.id], weight: part.bm25))
            }
            return matched.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
        }
    }
}
