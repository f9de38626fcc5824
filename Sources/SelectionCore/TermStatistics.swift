/// Document frequencies of terms in some collection: what IDF is computed from.
///
/// The index implements it for the catalog; tests write a ten-line fake.
public protocol TermStatistics: Sendable {
    /// Documents in the collection.
    var documentCount: Int { get }
    /// Documents containing `term` (an analysed term).
    func documentFrequency(of term: String) -> Int
}

/// Statistics of several collections added together (e.g. the catalog and a page corpus).
public struct CombinedStatistics: TermStatistics {
    public var parts: [any TermStatistics]

    public init(_ parts: [any TermStatistics]) { self.parts = parts }

    public var documentCount: Int { parts.reduce(0) { $0 + $1.documentCount } }

    public func documentFrequency(of term: String) -> Int {
        parts.reduce(0) { $0 + $1.documentFrequency(of: term) }
    }
}
