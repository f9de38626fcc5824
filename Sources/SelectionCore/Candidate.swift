/// An item retrieved for a page, with the evidence the rankers work from.
public struct Candidate: Hashable, Sendable {
    public var item: CatalogItem
    /// The current score: set by retrieval, then by each ranker in the chain.
    public var score: Double
    /// Relevance scores from the index, all computed for every candidate.
    public var relevance: RelevanceScores
    /// Query terms found in the item, with their contribution to the BM25 score.
    public var matchedTerms: [MatchedTerm]
    /// Why `score` is what it is; its root value equals `score`.
    public var explanation: Explanation
    /// For items picked by a lottery: the probability this item had when it was drawn.
    public var selectionProbability: Double?

    public init(item: CatalogItem, score: Double, relevance: RelevanceScores, matchedTerms: [MatchedTerm],
                explanation: Explanation) {
        self.item = item
        self.score = score
        self.relevance = relevance
        self.matchedTerms = matchedTerms
        self.explanation = explanation
    }
}

/// The index's relevance scores for one item and one query.
public struct RelevanceScores: Hashable, Sendable, Codable {
    /// Okapi BM25 over the item's weighted fields.
    public var bm25: Double
    /// TF-IDF cosine similarity between the query and the item, in 0...1.
    public var cosine: Double
    /// How much of the item the page covers, in 0...1: the share of the item's squared TF-IDF
    /// weight in terms the page has, each counted by the page's weight for it (its keywords'
    /// weights, the first 1): `Σ min(1, q_t) · d_t² / |d|²` with `d_t = (1 + ln f) · idf`. An ad
    /// that shares one common word with a page about something else covers little of itself.
    public var coverage: Double

    public init(bm25: Double, cosine: Double, coverage: Double = 0) {
        self.bm25 = bm25
        self.cosine = cosine
        self.coverage = coverage
    }
}

/// A query term that an item contains.
public struct MatchedTerm: Hashable, Sendable, Codable {
    public var term: String
    /// Its contribution to the item's BM25 score.
    public var weight: Double

    public init(term: String, weight: Double) {
        self.term = term
        self.weight = weight
    }
}
