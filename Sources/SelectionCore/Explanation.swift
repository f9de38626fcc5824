/// Why a score is what it is: a value, the formula or rule that produced it, and its inputs.
///
///     Explanation(0.82, "idf = ln(1 + (N - n + 0.5) / (n + 0.5))", [
///         .constant("N, catalog items", 3000), .constant("n, items containing term", 12)])
public struct Explanation: Hashable, Sendable, Codable {
    public var value: Double
    public var description: String
    public var details: [Explanation]

    public init(_ value: Double, _ description: String, _ details: [Explanation] = []) {
        self.value = value
        self.description = description
        self.details = details
    }

    /// A leaf: a named input.
    public static func constant(_ description: String, _ value: Double) -> Explanation {
        Explanation(value, description)
    }
}
