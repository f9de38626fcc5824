public import SelectionCore

/// One selection request: a page and what to fill on it. Nothing about the visitor: no field
/// of this type can hold an identity (see ``IdentityFields``).
public struct SelectionRequest: Hashable, Sendable {
    public var id: String?
    public var page: Page
    public var slots: [Slot]
    /// The session token the previous response returned (used only with `session` consent).
    public var session: String?
    public var consent: Consent
    public var preferences: Preferences
    /// Whether the response should carry full score explanations.
    public var explain: Bool
    /// The request time, as given (ISO 8601).
    public var now: String?
    /// With session consent: leave out items already shown in this visit.
    public var noRepeat: Bool
    /// The publisher's blocks: IAB categories and advertisers never to show.
    public var blockedCategories: [String] = []
    public var blockedAdvertisers: [String] = []
    /// Items of one advertiser on the page at most (0: no limit).
    public var maxPerAdvertiser: Int = 1
    /// A built-in ranker (chain) for this request instead of the engine's, e.g. `bm25,mmr:0.6`.
    public var ranker: String?
    /// The least coverage of an item by the page (``RelevanceScores/coverage``) for a retrieved
    /// item to be shown (0...1); nil: the engine's ``SelectionEngine/relevanceFloor``.
    public var relevanceFloor: Double?

    public init(id: String? = nil, page: Page, slots: [Slot] = [Slot()], session: String? = nil,
                consent: Consent = Consent(), preferences: Preferences = Preferences(), explain: Bool = false,
                now: String? = nil, noRepeat: Bool = false) {
        self.id = id
        self.page = page
        self.slots = slots
        self.session = session
        self.consent = consent
        self.preferences = preferences
        self.explain = explain
        self.now = now
        self.noRepeat = noRepeat
    }

    /// The page being rendered.
    public struct Page: Hashable, Sendable {
        public var url: String?
        public var title: String?
        public var html: String?
        public var text: String?
        /// BCP 47 language tag; the HTML's own `lang` is used when absent.
        public var lang: String?
        /// Keywords the publisher declares for the page.
        public var keywords: [String]

        public init(url: String? = nil, title: String? = nil, html: String? = nil, text: String? = nil,
                    lang: String? = nil, keywords: [String] = []) {
            self.url = url
            self.title = title
            self.html = html
            self.text = text
            self.lang = lang
            self.keywords = keywords
        }
    }

    /// A place on the page to fill with `count` items of the given kinds.
    public struct Slot: Hashable, Sendable {
        public var id: String
        public var count: Int
        /// Allowed kinds; empty means any.
        public var kinds: [ItemKind]

        public static let maximumCount = 50

        public init(id: String = "main", count: Int = 3, kinds: [ItemKind] = []) {
            self.id = id
            self.count = count
            self.kinds = kinds
        }
    }

    /// What the visitor agreed to. Opt-in: the default is the page only.
    public struct Consent: Hashable, Sendable {
        public enum Level: String, Hashable, Sendable, CaseIterable {
            /// No page-derived targeting: items in priority order only.
            case none
            /// The page only (the default).
            case context
            /// The page plus the visit's session token.
            case session
        }
        public var level: Level
        /// Global Privacy Control.
        public var gpc: Bool
        /// Do Not Track.
        public var dnt: Bool

        public init(level: Level = .context, gpc: Bool = false, dnt: Bool = false) {
            self.level = level
            self.gpc = gpc
            self.dnt = dnt
        }
    }

    /// Topics the visitor declared, held by the client and never stored.
    public struct Preferences: Hashable, Sendable {
        public var includeTopics: [String]
        public var excludeTopics: [String]

        public init(includeTopics: [String] = [], excludeTopics: [String] = []) {
            self.includeTopics = includeTopics
            self.excludeTopics = excludeTopics
        }
    }
}

/// Why a request line could not be answered: a stable code, a message for people and the JSON
/// path of the field at fault. It never contains the value of an identity field.
public struct RequestError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: Code
    public var message: String
    public var field: String?

    public enum Code: String, Hashable, Sendable {
        case invalidJSON = "invalid_json"
        case lineTooLong = "line_too_long"
        case invalidType = "invalid_type"
        case missingField = "missing_field"
        case unknownField = "unknown_field"
        case identityField = "identity_field"
        case invalidValue = "invalid_value"
        case rankerFailed = "ranker_failed"
        /// The service is at its concurrency or memory limit: retry shortly (HTTP 503).
        case overloaded = "overloaded"
        /// A batch body went past its size limit; the lines before were answered.
        case batchTooLarge = "batch_too_large"
        /// A service path asked with a method it does not answer (HTTP 405).
        case methodNotAllowed = "method_not_allowed"
    }

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { field.map { "\(code.rawValue) at \($0): \(message)" } ?? "\(code.rawValue): \(message)" }
}
