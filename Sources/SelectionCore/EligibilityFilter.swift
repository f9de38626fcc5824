/// A rule an item must pass to be selected for a request: the plug point of the eligibility stage.
///
/// Filters run inside retrieval, on items that already match the page's terms, so a filter is
/// never asked about the whole catalog. They must be cheap and deterministic; the first filter
/// that refuses an item is reported (with `"explain": true`) as the reason it was dropped.
public protocol EligibilityFilter: Sendable {
    /// Stable name, reported for dropped candidates (e.g. `schedule`, `frequency_cap`).
    var name: String { get }
    func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool
    /// True when `context` lets every item through (an empty block list, no slot kinds), so
    /// that the request need not ask the filter item by item. The default, false, always asks.
    func admitsEveryItem(in context: EligibilityContext) -> Bool
}

extension EligibilityFilter {
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { false }
}

/// What filters may know about a request: the page as read, the publisher's blocks, the time,
/// and (with session consent) what this visit was already shown. Nothing about the visitor.
public struct EligibilityContext: Sendable {
    public var now: Int64
    public var language: String
    public var pageTerms: Set<String>
    public var pageCategories: Set<String>
    public var pageIsSensitive: Bool
    /// Kinds any slot accepts; nil: every kind.
    public var kinds: Set<ItemKind>?
    public var blockedCategories: Set<String>
    public var blockedAdvertisers: Set<String>
    public var timesShown: [ItemID: Int]
    public var noRepeat: Bool
    /// The visitor's exclude_topics, as a test on items; nil when the visitor excluded nothing.
    public var excludedByVisitor: (@Sendable (CatalogItem) -> Bool)?

    public init(now: Int64, language: String = "en", pageTerms: Set<String> = [], pageCategories: Set<String> = [],
                pageIsSensitive: Bool = false, kinds: Set<ItemKind>? = nil, blockedCategories: Set<String> = [],
                blockedAdvertisers: Set<String> = [], timesShown: [ItemID: Int] = [:], noRepeat: Bool = false,
                excludedByVisitor: (@Sendable (CatalogItem) -> Bool)? = nil) {
        self.now = now
        self.language = language
        self.pageTerms = pageTerms
        self.pageCategories = pageCategories
        self.pageIsSensitive = pageIsSensitive
        self.kinds = kinds
        self.blockedCategories = blockedCategories
        self.blockedAdvertisers = blockedAdvertisers
        self.timesShown = timesShown
        self.noRepeat = noRepeat
        self.excludedByVisitor = excludedByVisitor
    }
}
