#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ndcg`: normalised discounted cumulative gain over the whole ranking (Järvelin and
/// Kekäläinen 2002), as trec_eval computes it: the gain of a document is its relevance level
/// (unjudged and unpooled documents gain 0), discounted by `log2(rank + 1)`, and the ideal
/// ranking orders every judged document of the query by gain.
public struct NDCG: Measure {
    public init() {}
    public var name: String { "ndcg" }

    public func value(for ranking: JudgedRanking) -> Double {
        discountedGainRatio(ranking, cutoff: nil)
    }
}

/// `ndcg_cut_k`: ``NDCG`` over the top k of both the ranking and the ideal ranking.
public struct NDCGAtK: Measure {
    public let cutoff: Int
    public init(cutoff: Int) {
        precondition(cutoff > 0, "an nDCG cut-off must be positive")
        self.cutoff = cutoff
    }
    public var name: String { "ndcg_cut_\(cutoff)" }

    public func value(for ranking: JudgedRanking) -> Double {
        discountedGainRatio(ranking, cutoff: cutoff)
    }
}

/// DCG / ideal DCG, both cut at `cutoff` when given; 0 when the ideal is 0.
func discountedGainRatio(_ ranking: JudgedRanking, cutoff: Int?) -> Double {
    let depth = cutoff.map { min($0, ranking.retrievedCount) } ?? ranking.retrievedCount
    var dcg = 0.0
    for index in 0..<depth where ranking.relevances[index] > 0 {
        dcg += Double(ranking.relevances[index]) / log2(Double(index + 2))
    }
    var ideal = 0.0
    var rank = 0
    levels: for level in ranking.levelCounts.indices.reversed() where level > 0 {
        for _ in 0..<ranking.levelCounts[level] {
            if let cutoff, rank >= cutoff { break levels }
            ideal += Double(level) / log2(Double(rank + 2))
            rank += 1
        }
    }
    return ideal > 0 ? dcg / ideal : 0
}
