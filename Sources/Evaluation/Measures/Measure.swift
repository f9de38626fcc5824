#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One evaluation measure, named as trec_eval names it.
public protocol Measure: Sendable {
    /// trec_eval's name, e.g. `map` or `ndcg_cut_10`.
    var name: String { get }
    /// The measure's value for one query.
    func value(for ranking: JudgedRanking) -> Double
    /// How per-query values make the summary over queries.
    var aggregation: Aggregation { get }
}

/// How a measure's per-query values are summarised, as trec_eval does.
public enum Aggregation: Sendable {
    /// Arithmetic mean (most measures).
    case mean
    /// Sum, printed as an integer (the `num_*` counts).
    case sum
    /// Geometric mean: per-query values are already `ln(max(value, 0.00001))`.
    case geometricMean

    /// Summarises `values` (one per query).
    public func summarize(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        switch self {
        case .mean: return values.reduce(0, +) / Double(values.count)
        case .sum: return values.reduce(0, +)
        case .geometricMean: return exp(values.reduce(0, +) / Double(values.count))
        }
    }
}

extension Measure {
    public var aggregation: Aggregation { .mean }
    /// Whether trec_eval prints the measure per query with `-q` (gm_map it does not).
    public var printsPerQuery: Bool { aggregation != .geometricMean }
}

/// The measures `ctxsel evaluate` reports, in trec_eval's order.
public enum StandardMeasures {
    public static let all: [any Measure] = [
        NumberOfQueries(), NumberRetrieved(), NumberRelevant(), NumberRelevantRetrieved(),
        AveragePrecision(), GeometricMeanAveragePrecision(), RPrecision(), Bpref(), ReciprocalRank(),
    ] + [5, 10, 15, 20, 30, 100].map { PrecisionAtK(cutoff: $0) as any Measure }
      + [5, 10, 100, 1000].map { RecallAtK(cutoff: $0) as any Measure }
      + [NDCG() as any Measure]
      + [5, 10, 20, 100, 1000].map { NDCGAtK(cutoff: $0) as any Measure }

    /// The measure named `name`, including cut-offs not in ``all`` (`P_7`, `ndcg_cut_3`).
    public static func named(_ name: String) -> (any Measure)? {
        if let found = all.first(where: { $0.name == name }) { return found }
        func cutoff(_ prefix: String) -> Int? {
            guard name.hasPrefix(prefix), let value = Int(name.dropFirst(prefix.count)), value > 0 else { return nil }
            return value
        }
        if let k = cutoff("P_") { return PrecisionAtK(cutoff: k) }
        if let k = cutoff("recall_") { return RecallAtK(cutoff: k) }
        if let k = cutoff("ndcg_cut_") { return NDCGAtK(cutoff: k) }
        return nil
    }
}
