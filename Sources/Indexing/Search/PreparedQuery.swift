import SelectionCore

// A query resolved against the index once per search. Invariant: its terms are the known ones,
// each once, in descending bound then term id order, the order every path sums scores in.

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
}
