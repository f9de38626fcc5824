/// `recall_k`: relevant documents in the top k, divided by all relevant documents.
public struct RecallAtK: Measure {
    public let cutoff: Int
    public init(cutoff: Int) {
        precondition(cutoff > 0, "a recall cut-off must be positive")
        self.cutoff = cutoff
    }
    public var name: String { "recall_\(cutoff)" }

    public func value(for ranking: JudgedRanking) -> Double {
        let relevant = ranking.relevantCount
        guard relevant > 0 else { return 0 }
        let top = min(cutoff, ranking.retrievedCount)
        return Double((0..<top).filter(ranking.isRelevant(atIndex:)).count) / Double(relevant)
    }
}
