public import SelectionCore

// The search API and its dispatch. Invariant: whatever the strategy, the top `limit` items and
// their scores equal ``exhaustiveSearch(_:model:limit:)``'s to the bit (ties by item id).

extension CatalogIndex {
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
}
