import Foundation
import SelectionCore
import Testing
@testable import AggregateReports

/// The upper 0.1 % point of the chi-square distribution with `df` degrees of freedom
/// (Wilson–Hilferty): with a fresh seed, a correct sampler fails a test against it one time in
/// a thousand. The seeds below are fixed, so each test is deterministic.
func chiSquareCritical(degreesOfFreedom df: Int) -> Double {
    let k = Double(df), z = 3.090_232  // the standard normal's 0.999 quantile
    return k * pow(1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot(), 3)
}

/// Pearson's statistic of observed counts against expected ones.
func chiSquare(observed: [Int], expected: [Double]) -> Double {
    zip(observed, expected).reduce(0) { $0 + pow(Double($1.0) - $1.1, 2) / $1.1 }
}

@Suite struct ExactBernoulliTests {
    @Test(arguments: [(UInt64(3), UInt64(10)), (1, 1), (27, 10), (0, 5), (7, 2)])
    func expMinusFlipsAtTheExactRate(numerator: UInt64, denominator: UInt64) {
        var coins = ExactBernoulli(SplitMix64(seed: 11))
        let n = 100_000
        var heads = 0
        for _ in 0..<n where coins.bernoulliExpMinus(numerator, over: denominator) { heads += 1 }
        let p = exp(-Double(numerator) / Double(denominator))
        let tolerance = 4 * (p * (1 - p) / Double(n)).squareRoot() + 1e-9
        #expect(abs(Double(heads) / Double(n) - p) <= tolerance, "exp(−\(numerator)/\(denominator)) = \(p), got \(Double(heads) / Double(n))")
    }

    @Test func uniformBelowHasNoFavouredValue() {
        var coins = ExactBernoulli(SplitMix64(seed: 5))
        let bound: UInt64 = 7, n = 70_000
        var observed = [Int](repeating: 0, count: Int(bound))
        for _ in 0..<n { observed[Int(coins.uniform(below: bound))] += 1 }
        let statistic = chiSquare(observed: observed, expected: [Double](repeating: Double(n) / Double(bound), count: Int(bound)))
        #expect(statistic < chiSquareCritical(degreesOfFreedom: Int(bound) - 1), "\(observed)")
    }
}

@Suite struct DiscreteLaplaceTests {
    static let scales: [(t: UInt64, s: UInt64)] = [(5, 2), (1, 1), (30, 1), (2, 3)]

    /// Draws against the exact probability mass function: the values within ±4 scales one by
    /// one, the two tails pooled.
    @Test(arguments: scales)
    func samplesFollowTheExactDistribution(t: UInt64, s: UInt64) {
        let noise = DiscreteLaplace(t: t, s: s)
        var coins = ExactBernoulli(SplitMix64(seed: 2020))
        let n = 200_000
        let reach = max(3, Int((4 * noise.scale).rounded(.up)))
        var observed = [Int](repeating: 0, count: 2 * reach + 3)  // below, −reach…reach, above
        for _ in 0..<n {
            let z = noise.sample(&coins)
            observed[z < -reach ? 0 : (z > reach ? 2 * reach + 2 : z + reach + 1)] += 1
        }
        let tail = noise.upperTail(atLeast: reach + 1) * Double(n)
        let expected = [tail] + (-reach...reach).map { noise.probability(of: $0) * Double(n) } + [tail]
        let statistic = chiSquare(observed: observed, expected: expected)
        #expect(statistic < chiSquareCritical(degreesOfFreedom: expected.count - 1),
                "scale \(noise.scale): χ² \(statistic), observed \(observed), expected \(expected.map { Int($0) })")
    }

    @Test(arguments: scales)
    func noiseIsUnbiasedWithTheStatedSpread(t: UInt64, s: UInt64) {
        let noise = DiscreteLaplace(t: t, s: s)
        var coins = ExactBernoulli(SplitMix64(seed: 77))
        let n = 200_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<n {
            let z = Double(noise.sample(&coins))
            sum += z
            squares += z * z
        }
        let mean = sum / Double(n), sd = (squares / Double(n) - mean * mean).squareRoot()
        #expect(abs(mean) <= 4 * noise.standardDeviation / Double(n).squareRoot(), "mean \(mean), stddev \(noise.standardDeviation)")
        #expect(abs(sd / noise.standardDeviation - 1) < 0.02, "empirical stddev \(sd), stated \(noise.standardDeviation)")
    }

    @Test func theScaleComesFromSensitivityOverEpsilonNeverSmaller() {
        let noise = DiscreteLaplace(sensitivity: 5, epsilon: 0.3)
        #expect(noise.scale >= 5 / 0.3)
        #expect(abs(noise.scale - 5 / 0.3) < 1e-6)
        // ε with more digits than a millionth is rounded down, so the noise only grows.
        #expect(DiscreteLaplace(sensitivity: 1, epsilon: 0.000_001_9).scale == 1_000_000)
    }

    @Test func theNinetyFivePercentHalfWidthHoldsExactly() {
        let noise = DiscreteLaplace(sensitivity: 1, epsilon: 0.5)
        let h = noise.halfWidth()
        #expect(2 * noise.upperTail(atLeast: h + 1) <= 0.05)
        #expect(2 * noise.upperTail(atLeast: h) > 0.05)
    }
}
