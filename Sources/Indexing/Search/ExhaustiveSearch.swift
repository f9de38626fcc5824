public import SelectionCore

// The specification: every posting of every query term scored, no pruning. Every strategy is
// tested against it, and the benchmark checks each pruned answer against it before timing.

extension CatalogIndex {
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
