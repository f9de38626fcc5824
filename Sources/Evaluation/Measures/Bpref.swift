/// `bpref` (Buckley and Voorhees, SIGIR 2004): for each relevant document retrieved, the share
/// of judged non-relevant documents not ranked above it, counting at most R of them:
/// `(1/R) Σ (1 - min(n_above, R) / min(N, R))`. Unjudged and unpooled documents are skipped.
public struct Bpref: Measure {
    public init() {}
    public var name: String { "bpref" }

    public func value(for ranking: JudgedRanking) -> Double {
        let relevant = ranking.relevantCount
        let nonRelevant = ranking.nonRelevantCount
        var nonRelevantAbove = 0
        var sum = 0.0
        for relevance in ranking.relevances where relevance >= 0 {
            if relevance < ranking.relevanceLevel {
                nonRelevantAbove += 1
            } else if nonRelevantAbove > 0 {
                sum += 1 - Double(min(nonRelevantAbove, relevant)) / Double(min(nonRelevant, relevant))
            } else {
                sum += 1
            }
        }
        return relevant > 0 ? sum / Double(relevant) : sum
    }
}
