/// One run against a baseline on one measure, over the queries both evaluated.
public struct RunComparison: Hashable, Sendable {
    public var baseline: String
    public var run: String
    public var measure: String
    public var queries: [String]
    public var baselineMean: Double
    public var runMean: Double
    /// Mean of per-query (run - baseline).
    public var meanDifference: Double
    public var tTest: PairedTTest?
    public var randomization: PairedRandomizationTest
    public var interval: BootstrapInterval
    public var wins: Int
    public var ties: Int
    public var losses: Int
    /// The randomization p-value after Holm–Bonferroni adjustment across all comparisons made.
    public var holmPValue: Double
    /// Per-query differences (run - baseline), in `queries` order.
    public var differences: [Double]

    /// Significant at `alpha` after Holm adjustment.
    public func isSignificant(alpha: Double = 0.05) -> Bool { holmPValue < alpha }
}

/// Compares every run with the first (the baseline) on each of `measures`, with paired tests,
/// bootstrap intervals and Holm–Bonferroni adjustment over all (run, measure) comparisons.
public struct RunComparer: Sendable {
    public var measures: [String]
    public var permutations: Int
    public var resamples: Int
    public var seed: UInt64

    public static let defaultMeasures = ["map", "ndcg_cut_10", "P_10", "recip_rank", "bpref"]

    public init(measures: [String] = RunComparer.defaultMeasures, permutations: Int = PairedRandomizationTest.defaultPermutations,
                resamples: Int = BootstrapInterval.defaultResamples, seed: UInt64 = 20261123) {
        self.measures = measures
        self.permutations = permutations
        self.resamples = resamples
        self.seed = seed
    }

    public func compare(_ evaluations: [RunEvaluation]) -> [RunComparison] {
        guard let baseline = evaluations.first else { return [] }
        var comparisons: [RunComparison] = []
        for other in evaluations.dropFirst() {
            let shared = baseline.queries.filter { other.perQuery[$0] != nil }
            guard !shared.isEmpty else { continue }
            for measure in measures {
                guard let baseIndex = baseline.measureNames.firstIndex(of: measure),
                      let otherIndex = other.measureNames.firstIndex(of: measure) else { continue }
                let a = shared.map { other.perQuery[$0]![otherIndex] }
                let b = shared.map { baseline.perQuery[$0]![baseIndex] }
                let differences = zip(a, b).map { $0 - $1 }
                let tolerance = 1e-12
                // Every comparison draws from its own seed, derived from the base seed and its place.
                let derived = seed &+ UInt64(comparisons.count) &* 0x9E37_79B9
                comparisons.append(RunComparison(
                    baseline: baseline.tag, run: other.tag, measure: measure, queries: shared,
                    baselineMean: b.reduce(0, +) / Double(b.count), runMean: a.reduce(0, +) / Double(a.count),
                    meanDifference: differences.reduce(0, +) / Double(differences.count),
                    tTest: PairedTTest(a, b),
                    randomization: PairedRandomizationTest(a, b, permutations: permutations, seed: derived),
                    interval: BootstrapInterval(a, b, resamples: resamples, seed: derived &+ 1),
                    wins: differences.filter { $0 > tolerance }.count,
                    ties: differences.filter { abs($0) <= tolerance }.count,
                    losses: differences.filter { $0 < -tolerance }.count,
                    holmPValue: 1, differences: differences))
            }
        }
        let adjusted = holmAdjusted(comparisons.map(\.randomization.pValue))
        for index in comparisons.indices { comparisons[index].holmPValue = adjusted[index] }
        return comparisons
    }
}
