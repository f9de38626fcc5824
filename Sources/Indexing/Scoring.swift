public import SelectionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Okapi BM25 parameters and formulas.
public struct BM25: Hashable, Sendable, Codable {
    /// Term-frequency saturation: how fast repeated occurrences stop adding.
    public var k1: Double = 1.2
    /// Length normalisation: 0 ignores item length, 1 divides fully by it.
    public var b: Double = 0.75

    public init(k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
    }

    /// `ln(1 + (N - n + 0.5) / (n + 0.5))`: never negative, however common the term.
    public static func idf(documentFrequency n: Int, documentCount N: Int) -> Double {
        precondition(n >= 0 && n <= N, "document frequency \(n) outside 0...\(N)")
        return log(1 + (Double(N - n) + 0.5) / (Double(n) + 0.5))
    }

    /// `f · (k1 + 1) / (f + k1 · (1 - b + b · dl / avgdl))`.
    public func termFrequencyPart(frequency f: Double, length dl: Double, averageLength avgdl: Double) -> Double {
        guard f > 0 else { return 0 }
        let norm = avgdl > 0 ? 1 - b + b * dl / avgdl : 1
        return f * (k1 + 1) / (f + k1 * norm)
    }
}

/// TF-IDF weights for cosine similarity: `(1 + ln f) · idf` with `idf = ln((N + 1) / (n + 1)) + 1`.
public enum TFIDF {
    public static func idf(documentFrequency n: Int, documentCount N: Int) -> Double {
        log(Double(N + 1) / Double(n + 1)) + 1
    }

    public static func termWeight(frequency f: Double) -> Double { f > 0 ? 1 + log(f) : 0 }
}

/// A query term with its weight (how often the page or query says it, relative to its most said term).
public struct WeightedTerm: Hashable, Sendable {
    public var term: String
    public var weight: Double

    public init(_ term: String, weight: Double = 1) {
        self.term = term
        self.weight = weight
    }

    /// Query terms from keywords: single terms only (phrases are made of terms already present),
    /// each weighed by how often the page says it, the most said at 1. A keyword's rarity chose it
    /// (its weight is tf · idf) and counts again in the score's idf, so it is not counted here a
    /// second time: the query term frequency of BM25 (Robertson's qtf, unsaturated).
    public static func from(_ keywords: [Keyword]) -> [WeightedTerm] {
        let terms = keywords.filter { !$0.isPhrase }
        let most = terms.map(\.frequency).max() ?? 1
        return terms.map { WeightedTerm($0.term, weight: most > 0 ? $0.frequency / most : 1) }
    }

}
