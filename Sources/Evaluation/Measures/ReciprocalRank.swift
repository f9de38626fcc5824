/// `recip_rank`: 1 / the rank of the first relevant document, 0 when none is retrieved.
public struct ReciprocalRank: Measure {
    public init() {}
    public var name: String { "recip_rank" }

    public func value(for ranking: JudgedRanking) -> Double {
        guard let first = ranking.relevances.indices.first(where: ranking.isRelevant(atIndex:)) else { return 0 }
        return 1 / Double(first + 1)
    }
}
