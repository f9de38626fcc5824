/// Exact coin flips from uniform random integers, with rational probabilities only: no
/// floating-point number is ever formed, so the sampled distribution is the stated one to the
/// last bit (Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy",
/// NeurIPS 2020, section 5.1). Floating-point noise leaks through the gaps of its values
/// (Mironov, "On Significance of the Least Significant Bits for Differential Privacy", CCS 2012).
///
/// Every function keeps one invariant: the probability of `true` is exactly the rational
/// number named in its documentation, given a generator whose `next()` is uniform on UInt64.
public struct ExactBernoulli<Generator: RandomNumberGenerator> {
    public var generator: Generator

    public init(_ generator: Generator) { self.generator = generator }

    /// A uniform integer in 0..<bound (bound ≥ 1), by rejection, so no value is favoured.
    public mutating func uniform(below bound: UInt64) -> UInt64 {
        precondition(bound >= 1)
        // 2^64 − (2^64 mod bound) draws, 0 through `last`, are a whole number of rounds of
        // 0..<bound; the rest are thrown back.
        let last = UInt64.max - (UInt64.max % bound + 1) % bound
        while true {
            let draw = generator.next()
            if draw <= last { return draw % bound }
        }
    }

    /// true with probability numerator / denominator (0 ≤ numerator ≤ denominator, denominator ≥ 1).
    public mutating func bernoulli(_ numerator: UInt64, over denominator: UInt64) -> Bool {
        precondition(denominator >= 1 && numerator <= denominator)
        return uniform(below: denominator) < numerator
    }

    /// true with probability exp(−numerator / denominator), numerator ≥ 0, denominator ≥ 1.
    ///
    /// For γ = n/d ≤ 1: flip Bernoulli(γ/k) for k = 1, 2, … until one fails; the number of
    /// successes before it is odd with probability exp(−γ) (the alternating series of the
    /// exponential). For γ > 1: exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)), each factor a flip.
    public mutating func bernoulliExpMinus(_ numerator: UInt64, over denominator: UInt64) -> Bool {
        precondition(denominator >= 1)
        if numerator <= denominator {
            var k: UInt64 = 1
            while true {
                let (scaled, overflow) = denominator.multipliedReportingOverflow(by: k)
                precondition(!overflow, "exp(−γ) flip: the denominator times \(k) overflows")
                if !bernoulli(numerator, over: scaled) { return k % 2 == 1 }
                k += 1
            }
        }
        for _ in 0..<(numerator / denominator) where !bernoulliExpMinus(1, over: 1) { return false }
        return bernoulliExpMinus(numerator % denominator, over: denominator)
    }
}
