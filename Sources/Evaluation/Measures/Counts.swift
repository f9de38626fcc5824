/// `num_q`: queries evaluated (1 per query; summed).
public struct NumberOfQueries: Measure {
    public init() {}
    public var name: String { "num_q" }
    public var aggregation: Aggregation { .sum }
    public func value(for ranking: JudgedRanking) -> Double { 1 }
}

/// `num_ret`: documents retrieved.
public struct NumberRetrieved: Measure {
    public init() {}
    public var name: String { "num_ret" }
    public var aggregation: Aggregation { .sum }
    public func value(for ranking: JudgedRanking) -> Double { Double(ranking.retrievedCount) }
}

/// `num_rel`: relevant documents in the qrels (judgment ≥ the relevance level).
public struct NumberRelevant: Measure {
    public init() {}
    public var name: String { "num_rel" }
    public var aggregation: Aggregation { .sum }
    public func value(for ranking: JudgedRanking) -> Double { Double(ranking.relevantCount) }
}

/// `num_rel_ret`: relevant documents retrieved.
public struct NumberRelevantRetrieved: Measure {
    public init() {}
    public var name: String { "num_rel_ret" }
    public var aggregation: Aggregation { .sum }
    public func value(for ranking: JudgedRanking) -> Double {
        Double(ranking.relevances.indices.filter(ranking.isRelevant(atIndex:)).count)
    }
}
