/// The identifier of a catalog item, unique within a catalog.
public typealias ItemID = String

/// What an item is: a paid ad, an editorial content recommendation, or a house ad.
public enum ItemKind: String, CaseIterable, Hashable, Sendable, Codable {
    case ad
    case content
    case house
}

/// One selectable item of a catalog.
///
/// The fields live in one shared box, copied only when a copy is changed: an item is copied into
/// every candidate, ranker step and response, and a copy then costs one reference count instead
/// of one per field.
public struct CatalogItem: Hashable, Sendable, Codable {
    @usableFromInline var storage: Storage

    public var id: ItemID {
        @inlinable get { storage.fields.id }
        set { change { $0.id = newValue } }
    }
    public var kind: ItemKind {
        @inlinable get { storage.fields.kind }
        set { change { $0.kind = newValue } }
    }
    public var title: String {
        @inlinable get { storage.fields.title }
        set { change { $0.title = newValue } }
    }
    /// The body, however it is held: a loaded snapshot leaves it in the file until read.
    public var bodyText: ItemText {
        @inlinable get { storage.fields.bodyText }
        set { change { $0.bodyText = newValue } }
    }
    public var body: String {
        @inlinable get { storage.fields.bodyText.string }
        set { change { $0.bodyText = ItemText(newValue) } }
    }
    public var url: String? {
        @inlinable get { storage.fields.url }
        set { change { $0.url = newValue } }
    }
    public var image: String? {
        @inlinable get { storage.fields.image }
        set { change { $0.image = newValue } }
    }
    /// Who pays for an ad; nil for content.
    public var advertiser: String? {
        @inlinable get { storage.fields.advertiser }
        set { change { $0.advertiser = newValue } }
    }
    /// Targeting keywords the item declares (an indexed, boosted field).
    public var keywords: [String] {
        @inlinable get { storage.fields.keywords }
        set { change { $0.keywords = newValue } }
    }
    /// Pages containing any of these terms never show the item.
    public var negativeKeywords: [String] {
        @inlinable get { storage.fields.negativeKeywords }
        set { change { $0.negativeKeywords = newValue } }
    }
    /// IAB Content Taxonomy 3.1 category ids the item is about.
    public var categories: [String] {
        @inlinable get { storage.fields.categories }
        set { change { $0.categories = newValue } }
    }
    /// Priority within the catalog, 0 (lowest) to 10; used by the `priority` ranker.
    public var priority: Int {
        @inlinable get { storage.fields.priority }
        set { change { $0.priority = newValue } }
    }
    /// Relative weight or price (positive); used by the `priority` ranker.
    public var weight: Double {
        @inlinable get { storage.fields.weight }
        set { change { $0.weight = newValue } }
    }
    /// ISO 639-1 languages the item may show on; empty means any.
    public var languages: [String] {
        @inlinable get { storage.fields.languages }
        set { change { $0.languages = newValue } }
    }
    /// Times the item may be shown in one visit (needs session consent to apply); nil: no cap.
    public var frequencyCap: Int? {
        @inlinable get { storage.fields.frequencyCap }
        set { change { $0.frequencyCap = newValue } }
    }
    /// Keyword targeting rule, as written in the catalog (Kevel's lines or the JSON form); nil: none.
    public var targeting: String? {
        @inlinable get { storage.fields.targeting }
        set { change { $0.targeting = newValue } }
    }
    /// IAB categories of pages the item must not appear on.
    public var blockedPageCategories: [String] {
        @inlinable get { storage.fields.blockedPageCategories }
        set { change { $0.blockedPageCategories = newValue } }
    }
    /// When the item may run; nil: always.
    public var schedule: Schedule? {
        @inlinable get { storage.fields.schedule }
        set { change { $0.schedule = newValue } }
    }
    /// Priority tier: lower tiers are tried first (0 sponsorship, 1 paid, 2 house).
    public var tier: Int {
        @inlinable get { storage.fields.tier }
        set { change { $0.tier = newValue } }
    }
    /// Whether the item may appear on pages classified as sensitive.
    public var sensitiveOK: Bool {
        @inlinable get { storage.fields.sensitiveOK }
        set { change { $0.sensitiveOK = newValue } }
    }
    /// What the advertiser pays per thousand impressions, in a stated currency: the price an
    /// OpenRTB bid offers. Nil for items that are not sold by impression.
    public var cpm: Price? {
        @inlinable get { storage.fields.cpm }
        set { change { $0.cpm = newValue } }
    }

    public init(id: ItemID, kind: ItemKind = .content, title: String, body: String = "", url: String? = nil,
                image: String? = nil, advertiser: String? = nil, keywords: [String] = [],
                negativeKeywords: [String] = [], categories: [String] = [], priority: Int = 5,
                weight: Double = 1, languages: [String] = [], frequencyCap: Int? = nil, targeting: String? = nil,
                blockedPageCategories: [String] = [], schedule: Schedule? = nil, tier: Int? = nil,
                sensitiveOK: Bool = false, cpm: Price? = nil) {
        storage = Storage(Fields(
            id: id, kind: kind, title: title, bodyText: ItemText(body), url: url, image: image, advertiser: advertiser,
            keywords: keywords, negativeKeywords: negativeKeywords, categories: categories, priority: priority,
            weight: weight, languages: languages, frequencyCap: frequencyCap, targeting: targeting,
            blockedPageCategories: blockedPageCategories, schedule: schedule,
            tier: tier ?? (kind == .house ? Self.houseTier : Self.paidTier), sensitiveOK: sensitiveOK, cpm: cpm))
    }

    public static let sponsorshipTier = 0
    public static let paidTier = 1
    public static let houseTier = 2
    /// Tier names accepted in catalogs.
    public static let tierNames = ["sponsorship": sponsorshipTier, "paid": paidTier, "house": houseTier]

    public static let priorityRange = 0...10

    /// Changes the fields, first copying them if another item shares them.
    private mutating func change(_ body: (inout Fields) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        body(&storage.fields)
    }

    public static func == (lhs: CatalogItem, rhs: CatalogItem) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }

    public init(from decoder: any Decoder) throws { storage = Storage(try Fields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try storage.fields.encode(to: encoder) }

    /// The fields as stored; their names and coding keys are the item's own.
    @usableFromInline struct Fields: Hashable, Sendable, Codable {
        @usableFromInline var id: ItemID
        @usableFromInline var kind: ItemKind
        @usableFromInline var title: String
        @usableFromInline var bodyText: ItemText
        @usableFromInline var url: String?
        @usableFromInline var image: String?
        @usableFromInline var advertiser: String?
        @usableFromInline var keywords: [String]
        @usableFromInline var negativeKeywords: [String]
        @usableFromInline var categories: [String]
        @usableFromInline var priority: Int
        @usableFromInline var weight: Double
        @usableFromInline var languages: [String]
        @usableFromInline var frequencyCap: Int?
        @usableFromInline var targeting: String?
        @usableFromInline var blockedPageCategories: [String]
        @usableFromInline var schedule: Schedule?
        @usableFromInline var tier: Int
        @usableFromInline var sensitiveOK: Bool
        @usableFromInline var cpm: Price?

        enum CodingKeys: String, CodingKey {
            case id, kind, title
            case bodyText = "body"
            case url, image, advertiser, keywords
            case negativeKeywords = "negative_keywords"
            case categories, priority, weight, languages
            case frequencyCap = "frequency_cap"
            case targeting
            case blockedPageCategories = "blocked_page_categories"
            case schedule, tier
            case sensitiveOK = "sensitive_ok"
            case cpm
        }
    }

    /// The box the fields live in; changed only through ``change(_:)``, when no other item
    /// shares it.
    @usableFromInline final class Storage: @unchecked Sendable {
        @usableFromInline var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }
}

/// An amount of money in an ISO 4217 currency.
public struct Price: Hashable, Sendable, Codable {
    public var amount: Double
    /// Three upper-case letters: USD, EUR, GBP…
    public var currency: String

    public init(amount: Double, currency: String) {
        self.amount = amount
        self.currency = currency
    }

    /// Whether `code` has the shape of an ISO 4217 code.
    public static func isCurrencyCode(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }
}

/// When an item may run: between `start` and `end` (Unix seconds), on `weekdays` (1 Monday … 7
/// Sunday) and from `startHour` to `endHour` (end exclusive), all in `timeZone`.
public struct Schedule: Hashable, Sendable, Codable {
    public var start: Int64?
    public var end: Int64?
    public var weekdays: [Int]
    public var startHour: Int?
    public var endHour: Int?
    /// An IANA time zone name such as "Europe/Paris"; UTC when nil.
    public var timeZone: String?

    public init(start: Int64? = nil, end: Int64? = nil, weekdays: [Int] = [], startHour: Int? = nil, endHour: Int? = nil,
                timeZone: String? = nil) {
        self.start = start
        self.end = end
        self.weekdays = weekdays
        self.startHour = startHour
        self.endHour = endHour
        self.timeZone = timeZone
    }
}
