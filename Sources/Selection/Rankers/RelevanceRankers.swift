public import SelectionCore

/// Orders candidates by Okapi BM25 relevance (the default ranker).
public struct BM25Ranker: Ranker {
    public init() {}
    public var name: String { "bm25" }
    public var retrievalModel: RetrievalModel { .bm25 }

    public func rank(_ candidates: [Candidate], in context: RankingContext) -> [Candidate] {
        reorder(candidates, by: { $0.relevance.bm25 }, label: "bm25: score = BM25 relevance of the item to the page keywords")
    }
}

/// Orders candidates by TF-IDF cosine similarity.
public struct TFIDFRanker: Ranker {
    public init() {}
    public var name: String { "tfidf" }
    public var retrievalModel: RetrievalModel { .cosine }

    public func rank(_ candidates: [Candidate], in context: RankingContext) -> [Candidate] {
        reorder(candidates, by: { $0.relevance.cosine }, label: "tfidf: score = TF-IDF cosine similarity to the page keywords")
    }
}

/// Sets each candidate's score with `score` and sorts: score descending, then item id.
func reorder(_ candidates: [Candidate], by score: (Candidate) -> Double, label: String) -> [Candidate] {
    candidates.map { candidate in
        var ranked = candidate
        ranked.score = score(candidate)
        ranked.explanation = Explanation(ranked.score, label, [candidate.explanation])
        return ranked
    }.sortedForSelection()
}

extension Array where Element == Candidate {
    /// The selection order: score descending, ties by item id ascending.
    public func sortedForSelection() -> [Candidate] {
        sorted { $0.score != $1.score ? $0.score > $1.score : $0.item.id < $1.item.id }
    }
}
