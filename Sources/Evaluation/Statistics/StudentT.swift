#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The paired t-test: is the mean of the differences `a - b` zero?
public struct PairedTTest: Hashable, Sendable {
    public var statistic: Double
    public var degreesOfFreedom: Int
    /// Two-sided p-value.
    public var pValue: Double

    /// - Returns: nil with fewer than 2 pairs. Identical samples give t = 0 and p = 1.
    public init?(_ a: [Double], _ b: [Double]) {
        precondition(a.count == b.count, "paired samples must have the same length")
        let n = a.count
        guard n >= 2 else { return nil }
        let differences = zip(a, b).map { $0 - $1 }
        let mean = differences.reduce(0, +) / Double(n)
        let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        degreesOfFreedom = n - 1
        if variance == 0 {
            statistic = mean == 0 ? 0 : (mean > 0 ? .infinity : -.infinity)
            pValue = mean == 0 ? 1 : 0
            return
        }
        statistic = mean / (variance / Double(n)).squareRoot()
        pValue = Self.twoSidedPValue(t: statistic, degreesOfFreedom: Double(degreesOfFreedom))
    }

    /// `P(|T| ≥ |t|)` for Student's t with ν degrees of freedom: `I_{ν/(ν+t²)}(ν/2, 1/2)`.
    public static func twoSidedPValue(t: Double, degreesOfFreedom ν: Double) -> Double {
        regularizedIncompleteBeta(x: ν / (ν + t * t), a: ν / 2, b: 0.5)
    }
}

/// The regularized incomplete beta function I_x(a, b), by its continued fraction (modified
/// Lentz's method), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where that converges faster.
func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x)
    if x < (a + 1) / (a + b + 2) {
        return exp(logFront) * betaContinuedFraction(x: x, a: a, b: b) / a
    }
    return 1 - exp(logFront) * betaContinuedFraction(x: 1 - x, a: b, b: a) / b
}

private func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var result = d
    for m in 1...500 {
        let m = Double(m)
        // Even step.
        var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1 + numerator * d
        if abs(d) < tiny { d = tiny }
        c = 1 + numerator / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        result *= d * c
        // Odd step.
        numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 + numerator * d
        if abs(d) < tiny { d = tiny }
        c = 1 + numerator / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let step = d * c
        result *= step
        if abs(step - 1) < 1e-15 { break }
    }
    return result
}
