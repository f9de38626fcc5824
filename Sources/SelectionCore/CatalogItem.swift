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
    /// The body, however it is held: a loaded snapshot leaves it in the file until read.
    public var bodyText: ItemText
    public var body: String {
        get { bodyText.string }
        set { bodyText = ItemText(newValue) }
    }
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
    /// Keyword targeting rule, as written in the catalog (Kevel's lines or the JSON form); nil: none.
    public var targeting: String?
    /// IAB categories of pages the item must not appear on.
    public var blockedPageCategories: [String]
    /// When the item may run; nil: always.
    public var schedule: Schedule? {
        get { scheduleBox?.schedule }
        set { scheduleBox = newValue.map(ScheduleBox.init) }
    }
    /// Few items have a schedule, and a schedule is bigger than the rest of an item's fields
    /// together: one reference in each item instead.
    private var scheduleBox: ScheduleBox?
    /// Priority tier: lower tiers are tried first (0 sponsorship, 1 paid, 2 house).
    public var tier: Int
    /// Whether the item may appear on pages classified as sensitive.
    public var sensitiveOK: Bool

    public init(id: ItemID, kind: ItemKind = .content, title: String, body: String = "", url: String? = nil,
                image: String? = nil, advertiser: String? = nil, keywords: [String] = [],
                negativeKeywords: [String] = [], categories: [String] = [], priority: Int = 5,
                weight: Double = 1, languages: [String] = [], frequencyCap: Int? = nil, targeting: String? = nil,
                blockedPageCategories: [String] = [], schedule: Schedule? = nil, tier: Int? = nil,
                sensitiveOK: Bool = false) {
        self.id = id
        self.kind = kind
        self.title = title
        self.bodyText = ItemText(body)
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
        self.targeting = targeting
        self.blockedPageCategories = blockedPageCategories
        self.scheduleBox = schedule.map(ScheduleBox.init)
        self.tier = tier ?? (kind == .house ? Self.houseTier : Self.paidTier)
        self.sensitiveOK = sensitiveOK
    }

    public static let sponsorshipTier = 0
    public static let paidTier = 1
    public static let houseTier = 2
    /// Tier names accepted in catalogs.
    public static let tierNames = ["sponsorship": sponsorshipTier, "paid": paidTier, "house": houseTier]

    public static let priorityRange = 0...10

    enum CodingKeys: String, CodingKey {
        case id, kind, title
        case bodyText = "body"
        case url, image, advertiser, keywords
        case negativeKeywords = "negative_keywords"
        case categories, priority, weight, languages
        case frequencyCap = "frequency_cap"
        case targeting
        case blockedPageCategories = "blocked_page_categories"
        case scheduleBox = "schedule"
        case tier
        case sensitiveOK = "sensitive_ok"
    }
}

/// An item's schedule, held by reference; compared and hashed by value.
private final class ScheduleBox: Hashable, Sendable, Codable {
    let schedule: Schedule
    init(_ schedule: Schedule) { self.schedule = schedule }
    static func == (lhs: ScheduleBox, rhs: ScheduleBox) -> Bool { lhs.schedule == rhs.schedule }
    func hash(into hasher: inout Hasher) { hasher.combine(schedule) }
    init(from decoder: any Decoder) throws { schedule = try decoder.singleValueContainer().decode(Schedule.self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(schedule)
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
