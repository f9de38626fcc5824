#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `map`: mean over queries of average precision, the sum of precision at each relevant
/// document retrieved divided by the number of relevant documents (retrieved or not).
public struct AveragePrecision: Measure {
    public init() {}
    public var name: String { "map" }

    public func value(for ranking: JudgedRanking) -> Double {
        let relevant = ranking.relevantCount
        guard relevant > 0 else { return 0 }
        var found = 0
        var sum = 0.0
        for index in ranking.relevances.indices where ranking.isRelevant(atIndex: index) {
            found += 1
            sum += Double(found) / Double(index + 1)
        }
        return sum / Double(relevant)
    }
}

/// `gm_map`: average precision per query, summarised by the geometric mean, with values below
/// 0.00001 raised to it (trec_eval's MIN_GEO_MEAN) so that one zero does not zero the mean.
/// Per-query values are the logarithms, and trec_eval does not print them.
public struct GeometricMeanAveragePrecision: Measure {
    public static let floor = 0.00001
    public init() {}
    public var name: String { "gm_map" }
    public var aggregation: Aggregation { .geometricMean }

    public func value(for ranking: JudgedRanking) -> Double {
        log(max(AveragePrecision().value(for: ranking), Self.floor))
    }
}
