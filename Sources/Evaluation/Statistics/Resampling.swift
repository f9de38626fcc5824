public import SelectionCore

/// The paired randomization (sign-flip) test: under the null hypothesis each difference is as
/// likely to have either sign. Two-sided p-value: the share of sign assignments whose mean
/// difference is at least as far from 0 as the observed one. With 2ⁿ ≤ `permutations` every
/// assignment is enumerated (the exact test); otherwise `permutations` random ones are drawn
/// from `seed` and p = (hits + 1) / (permutations + 1).
public struct PairedRandomizationTest: Hashable, Sendable {
    public var pValue: Double
    public var permutations: Int
    public var isExact: Bool

    public static let defaultPermutations = 10_000

    public init(_ a: [Double], _ b: [Double], permutations: Int = Self.defaultPermutations, seed: UInt64 = 1) {
        precondition(a.count == b.count, "paired samples must have the same length")
        precondition(permutations > 0, "at least one permutation")
        let differences = zip(a, b).map { $0 - $1 }
        let n = differences.count
        let observed = abs(differences.reduce(0, +))
        // Sums equal up to rounding count as ties (relative tolerance, as scipy does).
        let threshold = observed - max(observed, 1) * 1e-12
        if n < 62, (1 << n) <= permutations {
            var hits = 0
            for mask in 0..<(1 << n) {
                var sum = 0.0
                for index in 0..<n { sum += mask & (1 << index) != 0 ? -differences[index] : differences[index] }
                if abs(sum) >= threshold { hits += 1 }
            }
            pValue = Double(hits) / Double(1 << n)
            self.permutations = 1 << n
            isExact = true
        } else {
            var generator = SplitMix64(seed: seed)
            var hits = 0
            for _ in 0..<permutations {
                var sum = 0.0
                var bits = generator.next()
                var used = 0
                for difference in differences {
                    if used == 64 { bits = generator.next(); used = 0 }
                    sum += bits & 1 == 1 ? -difference : difference
                    bits >>= 1
                    used += 1
                }
                if abs(sum) >= threshold { hits += 1 }
            }
            pValue = Double(hits + 1) / Double(permutations + 1)
            self.permutations = permutations
            isExact = false
        }
    }
}

/// A percentile bootstrap confidence interval for the mean of paired differences: resample the
/// differences with replacement `resamples` times (from `seed`), and take the (1 - level)/2 and
/// (1 + level)/2 quantiles of the resampled means (linear interpolation between order statistics).
public struct BootstrapInterval: Hashable, Sendable {
    public var lower: Double
    public var upper: Double
    public var level: Double

    public static let defaultResamples = 10_000

    public init(_ a: [Double], _ b: [Double], level: Double = 0.95, resamples: Int = Self.defaultResamples, seed: UInt64 = 1) {
        precondition(a.count == b.count && !a.isEmpty, "paired, non-empty samples")
        precondition(level > 0 && level < 1 && resamples > 1, "a level within (0, 1) and at least two resamples")
        let differences = zip(a, b).map { $0 - $1 }
        let n = differences.count
        var generator = SplitMix64(seed: seed)
        var means = [Double](repeating: 0, count: resamples)
        for resample in 0..<resamples {
            var sum = 0.0
            for _ in 0..<n { sum += differences[Int(generator.next() % UInt64(n))] }
            means[resample] = sum / Double(n)
        }
        means.sort()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(resamples - 1)
            let below = Int(position.rounded(.down))
            let above = min(below + 1, resamples - 1)
            return means[below] + (means[above] - means[below]) * (position - Double(below))
        }
        lower = quantile((1 - level) / 2)
        upper = quantile((1 + level) / 2)
        self.level = level
    }
}

/// Holm–Bonferroni step-down adjustment of p-values for m simultaneous comparisons: sorted
/// ascending, the i-th (from 1) becomes max over j ≤ i of min(1, (m - j + 1) · p_j).
/// Returns adjusted p-values in the input order.
public func holmAdjusted(_ pValues: [Double]) -> [Double] {
    let m = pValues.count
    let order = pValues.indices.sorted { pValues[$0] != pValues[$1] ? pValues[$0] < pValues[$1] : $0 < $1 }
    var adjusted = [Double](repeating: 0, count: m)
    var running = 0.0
    for (rank, index) in order.enumerated() {
        running = max(running, min(1, Double(m - rank) * pValues[index]))
        adjusted[index] = running
    }
    return adjusted
}
