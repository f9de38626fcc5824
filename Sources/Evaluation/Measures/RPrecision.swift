/// `Rprec`: precision after R documents, R being the number of relevant documents.
public struct RPrecision: Measure {
    public init() {}
    public var name: String { "Rprec" }

    public func value(for ranking: JudgedRanking) -> Double {
        let relevant = ranking.relevantCount
        guard relevant > 0 else { return 0 }
        let top = min(relevant, ranking.retrievedCount)
        return Double((0..<top).filter(ranking.isRelevant(atIndex:)).count) / Double(relevant)
    }
}
