/// Which keys of an open-ended table (keywords, categories, items…) may be published.
///
/// A key's noisy count is published only when it reaches a threshold τ. A privacy unit (one
/// response, or `maxContributions` of them) can bring at most `keysPerUnit` keys that the
/// neighbouring log lacks, each with a true count of at most `maxContributions`; each such key
/// is published with probability P(maxContributions + Z ≥ τ) = P(Z ≥ m), m = τ − maxContributions.
/// τ is the smallest threshold that keeps the union of those events at or below δ:
///
///     keysPerUnit · p^m / (1 + p) ≤ δ,   p = exp(−1/b)
///
/// Keys present in both logs are covered by the noise itself (ε), so the table is (ε, δ)-DP
/// (Laplace thresholding; Korolova, Kenthapadi, Mishra and Ntoulas, WWW 2009; Wilson et al.,
/// "Differentially Private SQL with Bounded User Contribution", PETS 2020).
public struct PartitionSelection: Hashable, Sendable {
    public let noise: DiscreteLaplace
    public let threshold: Int

    public init(noise: DiscreteLaplace, delta: Double, keysPerUnit: Int, maxContributions: Int) {
        precondition(delta > 0 && delta < 1 && keysPerUnit >= 1 && maxContributions >= 1)
        self.noise = noise
        var m = 1
        while Double(keysPerUnit) * noise.upperTail(atLeast: m) > delta { m += 1 }
        threshold = maxContributions + m
    }

    /// The probability that a key counted `count` times is published.
    public func publicationProbability(count: Int) -> Double {
        let m = threshold - count
        if m >= 1 { return noise.upperTail(atLeast: m) }
        // P(Z ≥ m) for m ≤ 0 is 1 − P(Z ≤ m − 1) = 1 − P(Z ≥ 1 − m) by symmetry.
        return 1 - noise.upperTail(atLeast: 1 - m)
    }
}
