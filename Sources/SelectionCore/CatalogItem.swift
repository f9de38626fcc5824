/// The identifier of a catalog item, unique within a catalog.
public typealias ItemID = String

/// What an item is: a paid ad, an editorial content recommendation, or a house ad.
public enum ItemKind: String, CaseIterable, Hashable, Sendable, Codable {
    case ad
    case content
    case house
}

/// One selectable item of a catalog.
public struct CatalogItem: Hashable, Sendable, Codable {
    public var id: ItemID
    public var kind: ItemKind
    public var title: String
    public var body: String
    public var url: String?
    public var image: String?
    /// Who pays for an ad; nil for content.
    public var advertiser: String?
    /// Targeting keywords the item declares (an indexed, boosted field).
    public var keywords: [String]
    /// Pages containing any of these terms never show the item.
    public var negativeKeywords: [String]
    /// IAB Content Taxonomy 3.1 category ids the item is about.
    public var categories: [String]
    /// Priority within the catalog, 0 (lowest) to 10; used by the `priority` ranker.
    public var priority: Int
    /// Relative weight or price (positive); used by the `priority` ranker.
    public var weight: Double
    /// ISO 639-1 languages the item may show on; empty means any.
    public var languages: [String]
    /// Times the item may be shown in one visit (needs session consent to apply); nil: no cap.
    public var frequencyCap: Int?

    public init(id: ItemID, kind: ItemKind = .content, title: String, body: String = "", url: String? = nil,
                image: String? = nil, advertiser: String? = nil, keywords: [String] = [],
                negativeKeywords: [String] = [], categories: [String] = [], priority: Int = 5,
                weight: Double = 1, languages: [String] = [], frequencyCap: Int? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.url = url
        self.image = image
        self.advertiser = advertiser
        self.keywords = keywords
        self.negativeKeywords = negativeKeywords
        self.categories = categories
        self.priority = priority
        self.weight = weight
        self.languages = languages
        self.frequencyCap = frequencyCap
    }

    public static let priorityRange = 0...10

    enum CodingKeys: String, CodingKey {
        case id, kind, title, body, url, image, advertiser, keywords
        case negativeKeywords = "negative_keywords"
        case categories, priority, weight, languages
        case frequencyCap = "frequency_cap"
    }
}
