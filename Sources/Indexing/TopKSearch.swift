public import SelectionCore

/// How a top-k search reads the postings; every way returns the same results, to the bit.
enum SearchStrategy {
    /// By the query's size against the catalog's (see ``AccumulatorSearch/automaticStrategy``).
    case automatic
    /// Term at a time with MaxScore pruning.
    case pruned
    /// Every posting, `items` items at a time, each block's every item compared with the top.
    case blocks(items: Int)
    /// Every posting, `items` items at a time, each posting marking its item in a bitmap of the
    /// block, so that only the items matched are compared with the top.
    case markedBlocks(items: Int)

    /// The block ``automatic`` sums a dense query in: 256 KiB of accumulators, which stay in a
    /// core's L2 cache beside the postings streaming through it.
    static let blockItems = 1 << 15
    /// The block ``automatic`` sums a sparse query in: 128 KiB of accumulators and a 2 KiB bitmap.
    static let markedBlockItems = 1 << 14
}

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
    struct PreparedQuery: Sendable {
        struct Term: Sendable {
            var id: Int
            var weight: Double
            var idfBM25: Double
            var idfTFIDF: Double
            /// Largest contribution this term can make to the ranking score.
            var bound: Double
        }
        /// Strongest bound first: the order every score is summed in, by every path.
        var terms: [Term]
        var queryNorm: Double
    }

    func prepare(_ query: [WeightedTerm], model: RetrievalModel) -> PreparedQuery {
        // Merge repeated terms in query order: no dictionary order may reach a sum, so the
        // same query always gives bit-identical scores.
        var slot: [Int: Int] = [:]
        var merged: [(id: Int, weight: Double)] = []
        merged.reserveCapacity(query.count)
        for term in query where term.weight > 0 {
            guard let id = terms.id(of: term.term) else { continue }
            if let existing = slot[id] { merged[existing].weight += term.weight } else {
                slot[id] = merged.count
                merged.append((id, term.weight))
            }
        }
        merged.sort { $0.id < $1.id }
        let count = items.count
        var terms: [PreparedQuery.Term] = []
        terms.reserveCapacity(merged.count)
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
        // Descending bounds, then term id, so the order (and so every sum) is deterministic.
        terms.sort { $0.bound != $1.bound ? $0.bound > $1.bound : $0.id < $1.id }
        return PreparedQuery(terms: terms, queryNorm: norm)
    }

    /// Contributions of one posting to both scores.
    @inline(__always)
    func contribution(_ term: PreparedQuery.Term, posting: Int, document: Int, queryNorm: Double)
        -> (bm25: Double, cosine: Double) {
        (primaryContribution(term, posting: posting, document: document, queryNorm: queryNorm, model: .bm25),
         primaryContribution(term, posting: posting, document: document, queryNorm: queryNorm, model: .cosine))
    }

    /// One posting's share of the item's coverage (``RelevanceScores/coverage``):
    /// `min(1, q_t) · d_t² / |d|²`.
    func coverageContribution(_ term: PreparedQuery.Term, posting: Int, document: Int) -> Double {
        let norm = Double(documentNorms[document])
        guard norm > 0 else { return 0 }
        let weight = TFIDF.termWeight(frequency: Double(postingFrequencies[posting])) * term.idfTFIDF / norm
        return min(1, term.weight) * weight * weight
    }

    /// One posting's contribution to the score of `model`: the kernels' formula, for the paths
    /// that score a few postings (explanations, the results' second score, the oracle).
    func primaryContribution(_ term: PreparedQuery.Term, posting: Int, document: Int, queryNorm: Double,
                             model: RetrievalModel) -> Double {
        switch model {
        case .bm25:
            term.weight * term.idfBM25 * Double(impact(posting: posting, document: document))
        case .cosine:
            documentNorms.withUnsafeBufferPointer {
                CosineKernel(frequencies: postingFrequencies, documentNorms: $0, queryNorm: queryNorm)
                    .contribution(term, posting: posting, document: document)
            }
        }
    }

    /// The `limit` best items for `query` by `model`, best first, ties by item id.
    ///
    /// Most queries are summed whole, term at a time, into a cache-sized window of
    /// accumulators reused block after block of items, each block's top picked as soon as it
    /// is finished: a whole page's terms (at least one posting per four items) compare every
    /// item of the block, sparser queries only the items they marked. A query with under one
    /// posting per 256 items is instead read by term-at-a-time MaxScore: terms strongest bound
    /// first, whole lists into one accumulator per item until the bounds of the terms left
    /// cannot lift an untouched item into the current top `limit`, then only the touched items
    /// that can still make it, each remaining list walked or galloped through at those items,
    /// whichever reads less. Every path sums each item's score in the same term order as
    /// ``exhaustiveSearch(_:model:limit:)``, so results equal exhaustive scoring to the bit.
    ///
    /// - Parameters:
    ///   - isEligible: asked once per item, only for items whose score reaches the current
    ///     top `limit`; items it rejects are never returned.
    /// - Complexity: in blocks, every posting plus one pass over the items (or over a bitmap
    ///   of them, for a sparse query); pruned, the postings of the strong terms plus, for the
    ///   weak ones, the smaller of their length and the surviving candidates.
    public func search(_ query: [WeightedTerm], model: RetrievalModel = .bm25, limit: Int,
                       isEligible: (Int) -> Bool = { _ in true }) -> [ScoredItem] {
        search(query, model: model, limit: limit, withMatchedTerms: false, strategy: .automatic,
               isEligible: isEligible).map(\.item)
    }

    /// ``search(_:model:limit:isEligible:)`` with each result's matched terms, as
    /// ``matchedTerms(_:documents:)`` gives them, read from the one posting table both need.
    public func searchWithMatchedTerms(_ query: [WeightedTerm], model: RetrievalModel = .bm25, limit: Int,
                                       isEligible: (Int) -> Bool = { _ in true })
        -> [(item: ScoredItem, matchedTerms: [MatchedTerm])] {
        search(query, model: model, limit: limit, withMatchedTerms: true, strategy: .automatic, isEligible: isEligible)
    }

    func search(_ query: [WeightedTerm], model: RetrievalModel, limit: Int, withMatchedTerms: Bool,
                strategy: SearchStrategy, isEligible: (Int) -> Bool) -> [(item: ScoredItem, matchedTerms: [MatchedTerm])] {
        guard limit > 0 else { return [] }
        let prepared = prepare(query, model: model)
        guard !prepared.terms.isEmpty else { return [] }
        let found: [(score: Double, document: Int)]
        switch model {
        case .bm25:
            switch postingFrequencies {
            case .nibbles(let codes, _, _):
                found = impacts.table.withUnsafeBufferPointer { table in
                    func search<Number: FixedWidthInteger & UnsignedInteger>(_ numbers: IndexArray<Number>)
                        -> [(score: Double, document: Int)] {
                        topK(prepared, limit: limit,
                             kernel: BM25Kernel(codes: codes.buffer, lengthNumbers: numbers.buffer, table: table,
                                                lengthCount: impacts.lengthCount, index: self),
                             strategy: strategy, isEligible: isEligible)
                    }
                    return switch itemLengths.numbers {
                    case .narrow(let numbers): search(numbers)
                    case .wide(let numbers): search(numbers)
                    }
                }
            case .floats:
                found = topK(prepared, limit: limit, kernel: BM25FormulaKernel(index: self), strategy: strategy,
                             isEligible: isEligible)
            }
        case .cosine:
            found = documentNorms.withUnsafeBufferPointer { norms in
                topK(prepared, limit: limit,
                     kernel: CosineKernel(frequencies: postingFrequencies, documentNorms: norms, queryNorm: prepared.queryNorm),
                     strategy: strategy, isEligible: isEligible)
            }
        }
        // Both relevance scores, for the few results only: the search computes just one.
        let results = found.map(\.document)
        let table = postingTable(prepared, documents: results)
        let relevance = relevanceScores(prepared, documents: results, table: table)
        let matched = withMatchedTerms ? matchedTerms(prepared, documents: results, table: table)
            : [[MatchedTerm]](repeating: [], count: results.count)
        return found.indices.map { row in
            (ScoredItem(document: found[row].document, score: found[row].score, relevance: relevance[row]), matched[row])
        }
    }

    /// The top `limit` (score, item) pairs by `kernel`, best first, read the way `strategy` says.
    func topK<Kernel: ContributionKernel>(_ prepared: PreparedQuery, limit: Int, kernel: Kernel, strategy: SearchStrategy,
                                          isEligible: (Int) -> Bool) -> [(score: Double, document: Int)] {
        let scratch = searchScratch.borrow()
        defer { searchScratch.giveBack(scratch) }
        var search = AccumulatorSearch(terms: prepared.terms, starts: postingStarts.buffer, postings: postingDocuments,
                                       scratch: scratch,
                                       limit: limit, kernel: kernel)
        return search.run(strategy: strategy, isEligible: isEligible)
    }

    /// Both scores of each of `documents`, summed over the query's terms in their prepared order.
    func relevanceScores(_ prepared: PreparedQuery, documents: [Int], table given: [Int32]? = nil) -> [RelevanceScores] {
        let table = given ?? postingTable(prepared, documents: documents)
        let width = prepared.terms.count
        return documents.enumerated().map { row, document in
            var scores = RelevanceScores(bm25: 0, cosine: 0)
            for (column, term) in prepared.terms.enumerated() {
                let posting = Int(table[row * width + column])
                guard posting >= 0 else { continue }
                let part = contribution(term, posting: posting, document: document, queryNorm: prepared.queryNorm)
                scores.bm25 += part.bm25
                scores.cosine += part.cosine
                scores.coverage += coverageContribution(term, posting: posting, document: document)
            }
            return scores
        }
    }

    /// Where every prepared term's posting for each of `documents` is (-1 for none), at
    /// `row * terms.count + column`: one galloping pass per term over its postings, at the
    /// documents in order (by the lists' skip entries), instead of a search per pair.
    func postingTable(_ prepared: PreparedQuery, documents: [Int]) -> [Int32] {
        let width = prepared.terms.count
        let order = documents.indices.sorted { documents[$0] < documents[$1] }
        var table = [Int32](repeating: -1, count: documents.count * width)
        for (column, term) in prepared.terms.enumerated() {
            var cursor = cursor(ofTermID: term.id)
            for row in order {
                let target = UInt32(documents[row])
                cursor.advance(to: target)
                if cursor.isDone { break }
                if cursor.document == target { table[row * width + column] = Int32(cursor.posting) }
            }
        }
        return table
    }

    /// Exhaustive scoring of every item that has a query term: the oracle the tests and the
    /// benchmark hold ``search(_:model:limit:isEligible:)`` to.
    public func exhaustiveSearch(_ query: [WeightedTerm], model: RetrievalModel = .bm25, limit: Int) -> [ScoredItem] {
        let prepared = prepare(query, model: model)
        var scores = [Double](repeating: 0, count: items.count)
        var matched = [Bool](repeating: false, count: items.count)
        for term in prepared.terms {
            var cursor = cursor(ofTermID: term.id)
            while !cursor.isDone {
                let document = Int(cursor.document)
                scores[document] += primaryContribution(term, posting: cursor.posting, document: document,
                                                        queryNorm: prepared.queryNorm, model: model)
                matched[document] = true
                cursor.next()
            }
        }
        let ranked = matched.indices.filter { matched[$0] }
            .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        let top = Array(ranked.prefix(limit))
        return zip(top, relevanceScores(prepared, documents: top)).map {
            ScoredItem(document: $0, score: scores[$0], relevance: $1)
        }
    }
}

/// One posting's contribution to a ranking score, from the posting and per-item arrays.
protocol ContributionKernel {
    func contribution(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int) -> Double
}

/// BM25: `weight · idf · impact`, the impact `f · (k1 + 1) / (f + k1 · (1 - b + b · dl / avgdl))`
/// read from the table by the item's length number and the posting's frequency code, or, for
/// the rare frequency beyond the table, computed (``CatalogIndex/impact(posting:document:)``,
/// which gives the table's values too).
struct BM25Kernel<Number: FixedWidthInteger & UnsignedInteger>: ContributionKernel {
    let codes: UnsafeBufferPointer<UInt8>
    let lengthNumbers: UnsafeBufferPointer<Number>
    let table: UnsafeBufferPointer<Float>
    let lengthCount: Int
    let index: CatalogIndex

    @inline(__always)
    func contribution(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int) -> Double {
        let code = Int(PostingFrequencies.code(codes, posting))
        let impact = code < BM25Impacts.columns
            ? table[BM25Impacts.slot(frequency: code, number: Int(lengthNumbers[document]), lengthCount: lengthCount)]
            : index.impact(posting: posting, document: document)
        return term.weight * term.idfBM25 * Double(impact)
    }
}

/// BM25 from the formula for every posting, for frequencies that are not whole numbers.
struct BM25FormulaKernel: ContributionKernel {
    let index: CatalogIndex

    @inline(__always)
    func contribution(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int) -> Double {
        term.weight * term.idfBM25 * Double(index.impact(posting: posting, document: document))
    }
}

/// TF-IDF cosine: `(q · idf) · ((1 + ln f) · idf) / (|q| · |d|)`.
struct CosineKernel: ContributionKernel {
    let frequencies: PostingFrequencies
    let documentNorms: UnsafeBufferPointer<Float>
    let queryNorm: Double

    @inline(__always)
    func contribution(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int) -> Double {
        let norm = Double(documentNorms[document])
        return norm > 0 && queryNorm > 0
            ? term.weight * term.idfTFIDF * TFIDF.termWeight(frequency: Double(frequencies[posting])) * term.idfTFIDF
                / (norm * queryNorm)
            : 0
    }
}

/// The state of one accumulator search (see ``CatalogIndex/search(_:model:limit:isEligible:)``).
struct AccumulatorSearch<Kernel: ContributionKernel> {
    typealias Bits = SearchScratch
    let terms: [CatalogIndex.PreparedQuery.Term]
    let starts: UnsafeBufferPointer<Int>
    let postings: PostingDocuments
    let scratch: SearchScratch
    let kernel: Kernel
    let scores: UnsafeMutablePointer<Double>
    let state: UnsafeMutablePointer<UInt8>
    /// `remaining[i]`: the most terms `i...` can add to any item.
    var remaining: [Double]
    var best: TopKHeap
    /// The score an item must reach to be offered to `best`: its weakest member once full.
    var threshold = -Double.infinity
    /// A member's score grew since `best` was last ordered.
    var membersGrew = false
    var touched: [Int32] = []

    init(terms: [CatalogIndex.PreparedQuery.Term], starts: UnsafeBufferPointer<Int>, postings: PostingDocuments,
         scratch: SearchScratch, limit: Int, kernel: Kernel) {
        self.terms = terms
        self.starts = starts
        self.postings = postings
        self.scratch = scratch
        self.kernel = kernel
        scores = scratch.scores
        state = scratch.state
        remaining = [Double](repeating: 0, count: terms.count + 1)
        for index in terms.indices.reversed() { remaining[index] = remaining[index + 1] + terms[index].bound }
        best = TopKHeap(limit: limit)
        touched = scratch.touchedItems
    }

    /// A cursor on `term`'s first posting.
    @inline(__always)
    func cursor(_ term: CatalogIndex.PreparedQuery.Term) -> PostingCursor {
        postings.cursor(term: term.id, postingStarts: starts)
    }

    mutating func run(strategy: SearchStrategy, isEligible: (Int) -> Bool) -> [(score: Double, document: Int)] {
        defer { scratch.touchedItems = touched }
        switch strategy {
        case .automatic: return run(strategy: automaticStrategy, isEligible: isEligible)
        case .pruned: break
        case .blocks(let items):
            if let found = sumInBlocks(items, marking: false, isEligible: isEligible) { return found }
        case .markedBlocks(let items):
            if let found = sumInBlocks(items, marking: true, isEligible: isEligible) { return found }
        }
        var next = 0
        // Whole lists, strongest first, while an untouched item could still make the top.
        while next < terms.count, !(best.isFull && remaining[next] < threshold) {
            let term = terms[next]
            var cursor = cursor(term)
            while !cursor.isDone {
                add(term, posting: cursor.posting, document: Int(cursor.document), isEligible: isEligible)
                cursor.next()
            }
            reorder()
            next += 1
        }
        if next < terms.count { followCandidates(from: next, isEligible: isEligible) }
        return best.members.map { (score: scores[$0], document: $0) }
            .sorted { TopKHeap.worse($1, $0) }
    }

    /// How to read this query, by its postings per item of the catalog.
    ///
    /// A query with at least one posting per four items (a whole page's terms, most of them
    /// common) is summed in blocks, every item of a block compared with the top as it is
    /// finished. A sparser query is summed in marked blocks, only its matched items compared:
    /// each posting costs about a load, an add and two stores into cache, where the pruned
    /// path pays its bookkeeping (touched list, state byte, threshold test) and, once the
    /// catalog's accumulators outgrow a core's cache, a miss per posting. Only a query with
    /// under one posting per 256 items, which the bitmaps' fixed cost would outweigh, is pruned.
    var automaticStrategy: SearchStrategy {
        var postings = 0
        for term in terms { postings += starts[term.id + 1] - starts[term.id] }
        let capacity = scratch.capacity
        if postings >= capacity / 4 { return .blocks(items: SearchStrategy.blockItems) }
        if postings >= capacity / 256 { return .markedBlocks(items: SearchStrategy.markedBlockItems) }
        return .pruned
    }

    /// The query summed `block` items at a time into one reused window of accumulators, each
    /// block's top picked as soon as it is summed; nil when fewer than `limit` eligible items
    /// score above zero, for the other path to answer.
    ///
    /// Each posting is one load, one add and one store into a window small enough to stay in
    /// the core's cache, and nothing waits on a branch; the window is the same memory for
    /// every block, so a large catalog's accumulators are never walked. `marking` also marks
    /// each posting's item in a bitmap, so that the pick visits only the matched items instead
    /// of the whole block. Every contribution is positive, so a score above zero marks a
    /// matched item; an item scoring exactly zero (every contribution underflowed) would rank
    /// last, so a full top needs none of them.
    mutating func sumInBlocks(_ block: Int, marking: Bool, isEligible: (Int) -> Bool)
        -> [(score: Double, document: Int)]? {
        precondition(block > 0, "a block of \(block) items")
        var cursors = terms.map { cursor($0) }
        let capacity = scratch.capacity
        let window = scratch.window(holding: min(block, capacity))
        let marks = marking ? scratch.marks(covering: min(block, capacity)) : nil
        var low = 0
        while low < capacity {
            let high = min(capacity, low + block)
            // The window's accumulator for item `d` is `sums[d]`.
            let sums = window - low
            // Every list is read to the block's end: its cursor then waits on the first posting past it.
            let stop = UInt32(high)
            for (index, term) in terms.enumerated() {
                var cursor = cursors[index]
                if let marks {
                    while cursor.document < stop {
                        let document = Int(cursor.document)
                        sums[document] += kernel.contribution(term, posting: cursor.posting, document: document)
                        let offset = document &- low
                        marks[offset >> 6] |= 1 << UInt64(offset & 63)
                        cursor.next()
                    }
                } else {
                    while cursor.document < stop {
                        let document = Int(cursor.document)
                        sums[document] += kernel.contribution(term, posting: cursor.posting, document: document)
                        cursor.next()
                    }
                }
                cursors[index] = cursor
            }
            if let marks {
                pickMarked(from: low, marks: marks, count: (high - low + 63) / 64, sums: sums, isEligible: isEligible)
            } else {
                pickAndZero(low..<high, sums: sums, isEligible: isEligible)
            }
            low = high
        }
        guard best.isFull else {
            for document in best.members { state[document] &= ~Bits.inHeap }
            best = TopKHeap(limit: best.limit)
            threshold = -.infinity
            return nil
        }
        return best.entries.sorted { TopKHeap.worse($1, $0) }
    }

    /// Offers the marked items of the block from `low` whose sums reach the top, zeroing their
    /// accumulators and the marks.
    @inline(__always)
    mutating func pickMarked(from low: Int, marks: UnsafeMutablePointer<UInt64>, count: Int,
                             sums: UnsafeMutablePointer<Double>, isEligible: (Int) -> Bool) {
        var floor = max(threshold, .leastNonzeroMagnitude)
        for word in 0..<count where marks[word] != 0 {
            var bits = marks[word]
            marks[word] = 0
            while bits != 0 {
                let document = low + word << 6 + bits.trailingZeroBitCount
                bits &= bits &- 1
                let score = sums[document]
                sums[document] = 0
                if score >= floor {
                    offerWhole(document, score: score, isEligible: isEligible)
                    floor = max(threshold, .leastNonzeroMagnitude)
                }
            }
        }
    }

    /// Offers the items of `block` whose sums reach the top and zeroes every accumulator, four
    /// at a time, while the block is still in cache: one comparison per four items and no
    /// branch that depends on an item's score unless it makes the top.
    @inline(__always)
    mutating func pickAndZero(_ block: Range<Int>, sums: UnsafeMutablePointer<Double>, isEligible: (Int) -> Bool) {
        var floor = max(threshold, .leastNonzeroMagnitude)
        var document = block.lowerBound
        let raw = UnsafeMutableRawPointer(sums)
        while document + 4 <= block.upperBound {
            let sums = raw.loadUnaligned(fromByteOffset: document * 8, as: SIMD4<Double>.self)
            raw.storeBytes(of: SIMD4<Double>(), toByteOffset: document * 8, as: SIMD4<Double>.self)
            if any(sums .>= SIMD4(repeating: floor)) {
                for lane in 0..<4 where sums[lane] >= floor {
                    offerWhole(document + lane, score: sums[lane], isEligible: isEligible)
                    floor = max(threshold, .leastNonzeroMagnitude)
                }
            }
            document += 4
        }
        while document < block.upperBound {
            let score = sums[document]
            sums[document] = 0
            if score >= floor {
                offerWhole(document, score: score, isEligible: isEligible)
                floor = max(threshold, .leastNonzeroMagnitude)
            }
            document += 1
        }
    }

    /// Offers an item whose score is complete, listing it as touched so that the state bits
    /// the offer sets are cleared after the search.
    @inline(__always)
    mutating func offerWhole(_ document: Int, score: Double, isEligible: (Int) -> Bool) {
        state[document] |= Bits.touched
        touched.append(Int32(truncatingIfNeeded: document))
        offer(document, score: score, isEligible: isEligible)
    }

    /// Adds one posting to its item's accumulator and offers the item when it reaches the top.
    @inline(__always)
    mutating func add(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int, isEligible: (Int) -> Bool) {
        let score = scores[document] + kernel.contribution(term, posting: posting, document: document)
        scores[document] = score
        let bits = state[document]
        if bits & Bits.touched == 0 {
            state[document] = bits | Bits.touched
            touched.append(Int32(truncatingIfNeeded: document))
        }
        if score >= threshold { offer(document, score: score, isEligible: isEligible) }
    }

    mutating func offer(_ document: Int, score: Double, isEligible: (Int) -> Bool) {
        var bits = state[document]
        if bits & Bits.inHeap != 0 {
            membersGrew = true
            return
        }
        if bits & Bits.eligibilityKnown == 0 {
            bits |= Bits.eligibilityKnown
            if !isEligible(document) { bits |= Bits.ineligible }
            state[document] = bits
        }
        if bits & Bits.ineligible != 0 { return }
        // A member whose score grew is worth more than its entry says: order them anew before
        // one of them can be pushed out.
        if best.isFull, membersGrew {
            reorder()
            guard score >= threshold else { return }
        }
        switch best.offer(score: score, document: document) {
        case .rejected: return
        case .added: state[document] |= Bits.inHeap
        case .replaced(let previous):
            state[previous] &= ~Bits.inHeap
            state[document] |= Bits.inHeap
        }
        if best.isFull { threshold = best.threshold }
    }

    /// Members' scores grow while a list is read; order `best` by them again.
    mutating func reorder() {
        guard membersGrew else { return }
        membersGrew = false
        let scores = scores
        best.rescore { scores[$0] }
        if best.isFull { threshold = best.threshold }
    }

    /// The weak terms, for the touched items that can still reach the top only.
    mutating func followCandidates(from first: Int, isEligible: (Int) -> Bool) {
        var candidates: [Int32] = []
        for item in touched {
            let document = Int(item)
            if state[document] & Bits.ineligible == 0, scores[document] + remaining[first] >= threshold {
                state[document] |= Bits.candidate
                candidates.append(item)
            }
        }
        // Sorted by document only once galloping needs it: by then few candidates are left.
        var sorted = false
        // Postings read since the candidates were last thinned: thinning costs one pass over
        // them, so it waits until the lists read have cost as much.
        var readSinceThinning = 0
        for index in first..<terms.count where !candidates.isEmpty {
            let term = terms[index]
            let length = starts[term.id + 1] - starts[term.id]
            var cursor = cursor(term)
            // Jumping costs about log2 of the blocks plus up to a block per candidate; walking
            // costs the list, so walk when it is no longer than a block per candidate.
            if length <= candidates.count * PostingDocuments.skipInterval {
                while !cursor.isDone {
                    let document = Int(cursor.document)
                    if state[document] & Bits.candidate != 0 {
                        add(term, posting: cursor.posting, document: document, isEligible: isEligible)
                    }
                    cursor.next()
                }
                readSinceThinning += length
            } else {
                if !sorted {
                    candidates.sort()
                    sorted = true
                }
                for item in candidates {
                    let target = UInt32(truncatingIfNeeded: item)
                    cursor.advance(to: target)
                    if cursor.isDone { break }
                    if cursor.document == target {
                        add(term, posting: cursor.posting, document: Int(item), isEligible: isEligible)
                    }
                }
                readSinceThinning += candidates.count
            }
            reorder()
            guard readSinceThinning >= candidates.count else { continue }
            readSinceThinning = 0
            let left = remaining[index + 1]
            candidates.removeAll { item in
                let document = Int(item)
                guard scores[document] + left < threshold else { return false }
                state[document] &= ~Bits.candidate
                return true
            }
        }
    }
}

/// The first posting at or after `start` whose document is ≥ `target` (galloping search).
@inline(__always)
func advance(_ documents: UnsafeBufferPointer<UInt32>, from start: Int, to target: UInt32, end: Int) -> Int {
    guard start < end, documents[start] < target else { return start }
    var step = 1
    var low = start
    var high = start + 1
    while high < end, documents[high] < target {
        low = high
        step <<= 1
        high = min(end, high + step)
    }
    high = min(high, end)
    while low < high {
        let mid = (low + high) >> 1
        if documents[mid] < target { low = mid + 1 } else { high = mid }
    }
    return low
}

struct TopKHeap {
    let limit: Int
    /// The pairs held, in heap order.
    private(set) var entries: [(score: Double, document: Int)] = []

    init(limit: Int) { self.limit = limit }

    var isFull: Bool { entries.count >= limit }
    /// The score an item must beat (or equal with a smaller id) to enter.
    var threshold: Double { entries.first?.score ?? -.infinity }

    /// `a` ranks below `b`: lower score, or equal score and larger id.
    @inline(__always)
    static func worse(_ a: (score: Double, document: Int), _ b: (score: Double, document: Int)) -> Bool {
        a.score != b.score ? a.score < b.score : a.document > b.document
    }

    enum Offer {
        case rejected
        case added
        /// Entered in place of the item at this position, which left.
        case replaced(Int)
    }

    /// Adds the pair if it makes the top `limit`, saying which pair it pushed out.
    mutating func offer(score: Double, document: Int) -> Offer {
        let entry = (score: score, document: document)
        if entries.count < limit {
            entries.append(entry)
            siftUp(entries.count - 1)
            return .added
        }
        guard Self.worse(entries[0], entry) else { return .rejected }
        let previous = entries[0].document
        entries[0] = entry
        siftDown(0)
        return .replaced(previous)
    }

    /// The documents held, in no particular order.
    var members: [Int] { entries.map(\.document) }

    /// Takes every member's score anew (scores only grow) and restores the heap order.
    mutating func rescore(_ score: (Int) -> Double) {
        for index in entries.indices { entries[index].score = score(entries[index].document) }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
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
        return matchedTerms(prepared, documents: documents, table: postingTable(prepared, documents: documents))
    }

    /// The same from a posting table of `prepared`'s terms (prepared for either model: their
    /// weights and idfs are the same, only their order differs).
    func matchedTerms(_ prepared: PreparedQuery, documents: [Int], table: [Int32]) -> [[MatchedTerm]] {
        let width = prepared.terms.count
        // Each query term's text made once, not once per item that has it.
        let names = prepared.terms.map { terms[$0.id] }
        return documents.enumerated().map { row, document in
            var matched: [MatchedTerm] = []
            for (column, term) in prepared.terms.enumerated() {
                let posting = Int(table[row * width + column])
                guard posting >= 0 else { continue }
                let weight = primaryContribution(term, posting: posting, document: document,
                                                 queryNorm: prepared.queryNorm, model: .bm25)
                matched.append(MatchedTerm(term: names[column], weight: weight))
            }
            return matched.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
        }
    }
}
