import SelectionCore

// What one posting adds to each score: the formulas the kernels inline, for the paths that
// score a few postings (explanations, the second relevance score, coverage, the oracle).

extension CatalogIndex {
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
}
