/// `P_k`: relevant documents in the top k, divided by k (even when fewer were retrieved).
public struct PrecisionAtK: Measure {
    public let cutoff: Int
    public init(cutoff: Int) {
        precondition(cutoff > 0, "a precision cut-off must be positive")
        self.cutoff = cutoff
    }
    public var name: String { "P_\(cutoff)" }

    public func value(for ranking: JudgedRanking) -> Double {
        let top = min(cutoff, ranking.retrievedCount)
        return Double((0..<top).filter(ranking.isRelevant(atIndex:)).count) / Double(cutoff)
    }
}
