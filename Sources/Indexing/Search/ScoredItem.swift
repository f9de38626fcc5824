public import SelectionCore

/// One item found by a search, with both relevance scores.
public struct ScoredItem: Hashable, Sendable {
    /// Position of the item in ``CatalogIndex/items``.
    public var document: Int
    /// The score the search ranked by.
    public var score: Double
    public var relevance: RelevanceScores
}
