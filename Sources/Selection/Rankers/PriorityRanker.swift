public import SelectionCore

/// Blends relevance with the item's own priority and weight, the way an ad server lets a
/// sponsorship outrank a slightly better-matching house ad:
///
///     score = (1 - blend) · s / s_max + blend · (priority / 10) · (weight / w_max)
///
/// where `s` is the incoming score and the maxima are over the candidates being ranked, so both
/// parts lie in 0...1.
public struct PriorityRanker: Ranker {
    /// Share of the score that comes from priority and weight, in 0...1.
    public var blend: Double

    public static let defaultBlend = 0.3

    public init(blend: Double = PriorityRanker.defaultBlend) {
        precondition((0...1).contains(blend), "blend must be within 0...1")
        self.blend = blend
    }

    public var name: String { blend == Self.defaultBlend ? "priority" : "priority:\(blend)" }

    public func rank(_ candidates: [Candidate], in context: RankingContext) -> [Candidate] {
        let maxScore = candidates.map(\.score).max() ?? 0
        let maxWeight = candidates.map(\.item.weight).max() ?? 1
        return candidates.map { candidate in
            let relevance = maxScore > 0 ? candidate.score / maxScore : 0
            let priority = Double(candidate.item.priority) / Double(CatalogItem.priorityRange.upperBound)
            let weight = maxWeight > 0 ? candidate.item.weight / maxWeight : 0
            var ranked = candidate
            ranked.score = (1 - blend) * relevance + blend * priority * weight
            ranked.explanation = Explanation(ranked.score,
                "priority: (1 - blend) · s / s_max + blend · (priority / 10) · (weight / w_max)", [
                    .constant("blend", blend),
                    Explanation(candidate.score, "s, incoming score", [candidate.explanation]),
                    .constant("s_max, best incoming score", maxScore),
                    .constant("priority", Double(candidate.item.priority)),
                    .constant("weight", candidate.item.weight),
                    .constant("w_max, largest weight among candidates", maxWeight),
                ])
            return ranked
        }.sortedForSelection()
    }
}
