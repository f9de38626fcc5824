// One search's state: per-item accumulators and state bits in the scratch, the top so far, and
// the threshold an item must reach to enter it. Invariant: `threshold` is the weakest member's
// score once `best` is full, and an item is offered to `best` only with its complete score or
// with its score so far when it already reaches the threshold. The strategies are in
// BlockSums.swift (blocks, marked blocks) and MaxScore.swift (pruned).

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
        return maxScore(isEligible: isEligible)
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
}
