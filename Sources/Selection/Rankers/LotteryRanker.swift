public import SelectionCore

/// A weighted lottery within each priority tier: items are drawn one after another without
/// replacement, each with probability proportional to `weight × score` among those left in its
/// tier. The draw comes from the request's seed, so the same request draws the same way, and each
/// item records the probability it had when drawn (its propensity, for off-policy evaluation).
public struct LotteryRanker: Ranker {
    public init() {}
    public var name: String { "lottery" }

    public func rank(_ candidates: [Candidate], in context: RankingContext) -> [Candidate] {
        var generator = SplitMix64(seed: context.seed)
        var result: [Candidate] = []
        let tiers = Dictionary(grouping: candidates, by: \.item.tier).sorted { $0.key < $1.key }
        for (_, members) in tiers {
            var pool = members.sortedForSelection()
            while !pool.isEmpty {
                let stakes = pool.map { max($0.item.weight * max($0.score, 0), 0) }
                let total = stakes.reduce(0, +)
                var index = 0
                var probability = 1 / Double(pool.count)
                if total > 0 {
                    var point = generator.nextUnit() * total
                    index = pool.count - 1
                    for (position, stake) in stakes.enumerated() {
                        if point < stake { index = position; break }
                        point -= stake
                    }
                    probability = stakes[index] / total
                } else {
                    index = Int(generator.next() % UInt64(pool.count))
                }
                var drawn = pool.remove(at: index)
                drawn.selectionProbability = probability
                drawn.explanation = Explanation(drawn.score, "lottery: drawn with probability weight × score / sum over the tier's remaining items", [
                    .constant("probability", probability), .constant("weight", drawn.item.weight),
                    .constant("tier", Double(drawn.item.tier)), drawn.explanation,
                ])
                result.append(drawn)
            }
        }
        return result
    }
}
