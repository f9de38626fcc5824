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

extension SelectionResponse {
    /// Most matched terms listed per item when the request does not ask to explain.
    public static let matchedTermsShown = 10

    /// The NDJSON form of the interface contract.
    public var json: JSONValue {
        .object([
            ("id", id.map(JSONValue.string) ?? .null),
            ("slots", .array(slots.map { slot in
                .object([
                    ("id", .string(slot.id)),
                    ("count", .number(Double(slot.requested))),
                    ("items", .array(slot.items.map(\.json))),
                ])
            })),
            ("fill_rate", .number(fillRate)),
            ("keywords", .array(keywords.map { keyword in
                .object([("term", .string(keyword.term)), ("text", .string(keyword.text)), ("weight", .number(keyword.weight))])
            })),
            ("categories", .array(categories.map { category in
                var fields: [(String, JSONValue)] = [("id", .string(category.id)), ("name", .string(category.name)),
                                                     ("score", .number(category.score))]
                if let evidence = category.evidence {
                    fields.append(("evidence", .array(evidence.map { .object([("text", .string($0.text)), ("weight", .number($0.weight))]) })))
                }
                return .object(fields)
            })),
            ("sensitive", sensitive.map(JSONValue.bool) ?? .null),
            ("session", session.map(JSONValue.string) ?? .null),
            ("dropped", dropped.map { list in
                .object([
                    ("total", .number(Double(droppedTotal))),
                    ("shown", .array(list.map { .object([("id", .string($0.id)), ("reason", .string($0.reason))]) })),
                ])
            } ?? .null),
            ("privacy", .object([
                ("consent", .object([
                    ("requested", .string(privacy.requested.rawValue)),
                    ("applied", .string(privacy.applied.rawValue)),
                    ("reason", .string(privacy.reason)),
                ])),
                ("used", .array(privacy.used.map(JSONValue.string))),
                ("refused", .array(privacy.refused.map(\.json))),
                ("ignored", .array(privacy.ignored.map(\.json))),
                ("sensitive", privacy.sensitive.map(JSONValue.bool) ?? .null),
                ("stored", .string(privacy.stored)),
            ])),
        ])
    }
}

extension PrivacyReceipt.FieldNote {
    var json: JSONValue { .object([("field", .string(field)), ("reason", .string(reason))]) }
}

extension SelectionResponse.SelectedItem {
    var json: JSONValue {
        let item = candidate.item
        var why: [(String, JSONValue)] = [
            ("matched_terms", .array(candidate.matchedTerms.prefix(SelectionResponse.matchedTermsShown).map {
                .object([("term", .string($0.term)), ("weight", .number($0.weight))])
            })),
            ("relevance", .object([("bm25", .number(candidate.relevance.bm25)), ("cosine", .number(candidate.relevance.cosine)),
                                   ("coverage", .number(candidate.relevance.coverage))])),
            ("tier", .number(Double(item.tier))),
            ("score", candidate.explanation.json(depth: relevanceExplanation == nil ? 3 : 12)),
        ]
        if let probability = candidate.selectionProbability { why.append(("probability", .number(probability))) }
        if isFallback { why.append(("fallback", .bool(true))) }
        if let relevanceExplanation { why.append(("relevance_explanation", relevanceExplanation.json(depth: 12))) }
        var fields: [(String, JSONValue)] = [
            ("id", .string(item.id)),
            ("kind", .string(item.kind.rawValue)),
            ("score", .number(candidate.score)),
            ("title", .string(item.title)),
            ("url", item.url.map(JSONValue.string) ?? .null),
        ]
        if let advertiser = item.advertiser { fields.append(("advertiser", .string(advertiser))) }
        if let image = item.image { fields.append(("image", .string(image))) }
        if !item.categories.isEmpty { fields.append(("categories", .array(item.categories.map(JSONValue.string)))) }
        fields.append(("why", .object(why)))
        return .object(fields)
    }
}

extension Explanation {
    /// The explanation tree as JSON, cut at `depth` levels to bound the response size.
    func json(depth: Int) -> JSONValue {
        var members: [(String, JSONValue)] = [("value", .number(value)), ("description", .string(description))]
        if depth > 1, !details.isEmpty { members.append(("details", .array(details.map { $0.json(depth: depth - 1) }))) }
        return .object(members)
    }
}

extension RequestError {
    /// The NDJSON error record for input line `line`.
    public func record(line: Int, id: String?) -> JSONValue {
        var error: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
        if let field { error.append(("field", .string(field))) }
        return .object([("line", .number(Double(line))), ("id", id.map(JSONValue.string) ?? .null), ("error", .object(error))])
    }
}
