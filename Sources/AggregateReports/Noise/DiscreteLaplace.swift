import Foundation

/// The discrete Laplace distribution on the integers with scale b = t/s (s, t ≥ 1):
///
///     P(Z = z) = (1 − p) / (1 + p) · p^|z|,   p = exp(−1/b)
///
/// Added to a count whose L1 sensitivity is Δ, with b = Δ/ε, it gives ε-differential privacy
/// (the geometric mechanism, Ghosh, Roughgarden and Sundararajan 2009). The scale is kept as a
/// fraction so that sampling is exact (``sample(_:)``); the doubles below only describe the
/// distribution (its spread, its tails) in reports and tests.
public struct DiscreteLaplace: Hashable, Sendable {
    /// The scale b = t / s.
    public let t: UInt64
    public let s: UInt64

    public init(t: UInt64, s: UInt64) {
        precondition(t >= 1 && s >= 1)
        self.t = t
        self.s = s
    }

    public var scale: Double { Double(t) / Double(s) }

    /// p = exp(−1/b), the ratio of neighbouring probabilities.
    public var ratio: Double { exp(-Double(s) / Double(t)) }

    /// The exact probability of `value`.
    public func probability(of value: Int) -> Double {
        let p = ratio
        return (1 - p) / (1 + p) * pow(p, Double(value.magnitude))
    }

    /// The variance 2p / (1 − p)² and its square root.
    public var variance: Double { let p = ratio; return 2 * p / ((1 - p) * (1 - p)) }
    public var standardDeviation: Double { variance.squareRoot() }

    /// P(Z ≥ m) for m ≥ 1: p^m / (1 + p).
    public func upperTail(atLeast m: Int) -> Double {
        precondition(m >= 1)
        let p = ratio
        return pow(p, Double(m)) / (1 + p)
    }

    /// The smallest h with P(|Z| > h) ≤ 1 − confidence: 95 % of the noise lies within ±h.
    public func halfWidth(confidence: Double = 0.95) -> Int {
        var h = 0
        while 2 * upperTail(atLeast: h + 1) > 1 - confidence { h += 1 }
        return h
    }

    /// One draw, exactly (Canonne, Kamath and Steinke 2020, Algorithm 2):
    ///
    /// 1. U uniform on 0..<t, kept with probability exp(−U/t);
    /// 2. V geometric: the number of exp(−1) flips that succeed before one fails;
    /// 3. X = U + t·V is geometric with ratio exp(−1/t), and Y = ⌊X / s⌋ geometric with ratio
    ///    exp(−s/t) = p;
    /// 4. a fair sign, drawing again on "−0" so that 0 is not counted twice.
    public func sample<Generator: RandomNumberGenerator>(_ coins: inout ExactBernoulli<Generator>) -> Int {
        while true {
            let u = coins.uniform(below: t)
            guard coins.bernoulliExpMinus(u, over: t) else { continue }
            var v: UInt64 = 0
            while coins.bernoulliExpMinus(1, over: 1) { v += 1 }
            let x = u + t * v
            let y = Int(x / s)
            let negative = coins.bernoulli(1, over: 2)
            if negative && y == 0 { continue }
            return negative ? -y : y
        }
    }

    /// The distribution for a count of L1 sensitivity `sensitivity` under `epsilon`:
    /// b = Δ / ε with ε taken as a fraction of `Epsilon.denominator` rounded down, so the noise
    /// is never less than stated.
    public init(sensitivity: Int, epsilon: Double) {
        precondition(sensitivity >= 1 && epsilon > 0)
        // ε/6 of a typed ε lands a hair below its millionths in binary (0.2 · 10⁶ = 199999.99999…);
        // such a hair is rounding error, not budget, so it snaps to the integer.
        let millionths = epsilon * Double(Self.epsilonDenominator)
        let nearest = millionths.rounded()
        let numerator = UInt64(max(1, abs(millionths - nearest) < 1e-6 ? nearest : millionths.rounded(.down)))
        self.init(t: UInt64(sensitivity) * Self.epsilonDenominator, s: numerator)
    }

    /// ε is read to 1/1,000,000.
    public static let epsilonDenominator: UInt64 = 1_000_000
}
