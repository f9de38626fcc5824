public import TextAnalysis
public import SelectionCore

/// The answer to one request: filled slots with the why, the page's keywords, and a receipt of
/// every signal used.
public struct SelectionResponse: Hashable, Sendable {
    public var id: String?
    public var slots: [FilledSlot]
    public var keywords: [Keyword]
    /// Page categories (IAB Content Taxonomy 3.1), best first; empty without a classifier.
    public var categories: [PageCategory] = []
    /// Whether the page is on a sensitive topic; nil when not classified.
    public var sensitive: Bool? = nil
    /// The language the page was analysed in and where it came from; nil when no page was read.
    public var language: PageLanguage? = nil
    /// Why the categories may not fit the page: the classifier reads another language.
    public var categoriesNote: String? = nil
    /// The next session token; nil unless session consent applied.
    public var session: String? = nil
    /// The ranker (chain) that ordered the items.
    public var ranker: String
    public var privacy: PrivacyReceipt
    /// With `"explain": true`: candidates dropped, each with the filter that dropped it (bounded).
    public var dropped: [DroppedCandidate]? = nil
    public var droppedTotal = 0

    public init(id: String?, slots: [FilledSlot], keywords: [Keyword], ranker: String, privacy: PrivacyReceipt) {
        self.id = id
        self.slots = slots
        self.keywords = keywords
        self.ranker = ranker
        self.privacy = privacy
    }

    public struct DroppedCandidate: Hashable, Sendable {
        public var id: ItemID
        /// The filter that dropped it (e.g. `schedule`), or `advertiser_limit`.
        public var reason: String
    }

    public struct PageCategory: Hashable, Sendable {
        public var id: String
        public var name: String
        /// The calibrated probability that the page is about the category.
        public var score: Double
        /// With `"explain": true`: the lexicon entries found, each with its field- and
        /// lexicon-weighted evidence, most first.
        public var evidence: [Evidence]? = nil

        public init(id: String, name: String, score: Double, evidence: [Evidence]? = nil) {
            self.id = id
            self.name = name
            self.score = score
            self.evidence = evidence
        }

        public struct Evidence: Hashable, Sendable {
            public var text: String
            public var weight: Double
        }
    }

    public struct FilledSlot: Hashable, Sendable {
        public var id: String
        public var requested: Int
        public var items: [SelectedItem]
    }

    public struct SelectedItem: Hashable, Sendable {
        public var candidate: Candidate
        /// The term-by-term relevance explanation (only when the request asks to explain).
        public var relevanceExplanation: Explanation?
        /// A house item placed because nothing eligible matched the page.
        public var isFallback = false
    }

    /// Share of requested item places that were filled.
    public var fillRate: Double {
        let requested = slots.reduce(0) { $0 + $1.requested }
        return requested == 0 ? 0 : Double(slots.reduce(0) { $0 + $1.items.count }) / Double(requested)
    }
}

/// What the engine used, refused, ignored and kept for one request.
public struct PrivacyReceipt: Hashable, Sendable {
    public var requested: SelectionRequest.Consent.Level
    public private(set) var applied: SelectionRequest.Consent.Level = .context
    public private(set) var reason = ""
    /// Request fields whose content influenced the selection.
    public var used: [String] = []
    /// Request fields that were refused, with why (e.g. an altered session token).
    public var refused: [FieldNote] = []
    /// Request fields present but not read, with why (e.g. a token without session consent).
    public var ignored: [FieldNote] = []
    /// Whether the page was classified as sensitive (nil when no classifier ran).
    public var sensitive: Bool?
    /// What the engine stored: always nothing.
    public let stored = "nothing"

    public struct FieldNote: Hashable, Sendable {
        public var field: String
        public var reason: String
        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    public init(requested: SelectionRequest.Consent.Level) { self.requested = requested }

    public mutating func apply(_ level: SelectionRequest.Consent.Level, reason: String) {
        applied = level
        self.reason = reason
    }
}
