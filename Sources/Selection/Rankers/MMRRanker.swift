public import SelectionCore

/// Maximal marginal relevance (Carbonell and Goldstein, 1998): orders candidates so that each
/// next one balances relevance against similarity to those already chosen:
/// `λ · s / s_max − (1 − λ) · max sim(item, chosen)`, similarity being the cosine of the items'
/// matched query-term weights. Slots filled in this order differ from one another.
public struct MMRRanker: Ranker {
    /// Weight of relevance against diversity, in 0...1 (1: relevance only).
    public var lambda: Double
    /// Only the best this-many candidates are reordered; the rest keep their order after them.
    public var window: Int

    public static let defaultLambda = 0.7

    public init(lambda: Double = MMRRanker.defaultLambda, window: Int = 50) {
        precondition((0...1).contains(lambda), "lambda must be within 0...1")
        self.lambda = lambda
        self.window = window
    }

    public var name: String { lambda == Self.defaultLambda ? "mmr" : "mmr:\(lambda)" }

    public func rank(_ candidates: [Candidate], in context: RankingContext) -> [Candidate] {
        let ordered = candidates.sortedForSelection()
        var pool = Array(ordered.prefix(window))
        let rest = ordered.dropFirst(window)
        let best = pool.map(\.score).max() ?? 0
        let vectors = Dictionary(uniqueKeysWithValues: pool.map { candidate in
            (candidate.item.id, TermVector(candidate.matchedTerms))
        })
        var chosen: [Candidate] = []
        while !pool.isEmpty {
            var bestIndex = 0
            var bestValue = -Double.infinity
            var bestSimilarity = 0.0
            for (index, candidate) in pool.enumerated() {
                let relevance = best > 0 ? candidate.score / best : 0
                let similarity = chosen.map { cosine(vectors[candidate.item.id]!, vectors[$0.item.id]!) }.max() ?? 0
                let value = lambda * relevance - (1 - lambda) * similarity
                if value > bestValue { bestValue = value; bestIndex = index; bestSimilarity = similarity }
            }
            var next = pool.remove(at: bestIndex)
            next.explanation = Explanation(next.score, "mmr: ordered by λ · s / s_max − (1 − λ) · max similarity to items above (score unchanged)", [
                .constant("λ", lambda), .constant("max similarity to items above", bestSimilarity),
                .constant("marginal relevance", bestValue), next.explanation,
            ])
            chosen.append(next)
        }
        return chosen + rest
    }

    func cosine(_ a: TermVector, _ b: TermVector) -> Double {
        var dot = 0.0
        var i = 0, j = 0
        while i < a.entries.count, j < b.entries.count {
            if a.entries[i].term == b.entries[j].term {
                dot += a.entries[i].weight * b.entries[j].weight
                i += 1
                j += 1
            } else if a.entries[i].term < b.entries[j].term {
                i += 1
            } else {
                j += 1
            }
        }
        let norms = (a.squaredNorm * b.squaredNorm).squareRoot()
        return norms > 0 ? dot / norms : 0
    }
}

/// An item's matched terms as a vector, terms sorted: sums taken in that order, so the same
/// request gives the same similarities in every process (a dictionary's order changes with each
/// process's hash seed, and with it the last bits of a sum).
struct TermVector {
    let entries: [(term: String, weight: Double)]
    let squaredNorm: Double

    init(_ matched: [MatchedTerm]) {
        var merged: [(term: String, weight: Double)] = []
        for term in matched.sorted(by: { $0.term < $1.term }) {
            if let last = merged.last, last.term == term.term {
                merged[merged.count - 1].weight += term.weight
            } else {
                merged.append((term.term, term.weight))
            }
        }
        entries = merged
        squaredNorm = merged.reduce(0) { $0 + $1.weight * $1.weight }
    }
}
