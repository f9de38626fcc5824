public import Selection
public import SelectionCore
import TextAnalysis
import WireFormat

extension SelectionRequest {
    /// Decodes a request from one NDJSON line's bytes.
    ///
    /// Identity keys anywhere are refused first (their values are never read or echoed), then
    /// every field is type-checked; unknown fields are refused so that a misspelt field never
    /// silently changes a selection.
    public static func decode(line: UnsafeBufferPointer<UInt8>) throws(RequestError) -> SelectionRequest {
        let json: JSONValue
        do { json = try JSONParser.parse(line) } catch {
            throw RequestError(.invalidJSON, error.description)
        }
        return try decode(json)
    }

    public static func decode(_ json: JSONValue) throws(RequestError) -> SelectionRequest {
        guard case .object = json else { throw RequestError(.invalidType, "a request must be a JSON object, not \(json.typeName)") }
        if let path = IdentityFields.firstIdentityPath(in: json) {
            throw RequestError(.identityField, "requests may not carry identity fields; remove it (its value was not read)", field: path)
        }
        var reader = ObjectReader(json, path: "")
        try reader.allow(["id", "page", "slots", "session", "consent", "preferences", "explain", "now", "no_repeat",
                          "blocked_categories", "blocked_advertisers", "max_per_advertiser", "ranker", "relevance_floor"])
        var request = SelectionRequest(page: Page())
        request.id = try reader.string("id")
        guard let pageValue = reader.value("page") else { throw RequestError(.missingField, "a request needs a page", field: "page") }
        request.page = try decodePage(pageValue)
        if let slots = try reader.array("slots") {
            guard !slots.isEmpty else { throw RequestError(.invalidValue, "slots must not be empty", field: "slots") }
            request.slots = []
            for (index, slot) in slots.enumerated() { request.slots.append(try decodeSlot(slot, path: "slots[\(index)]")) }
            var seen: Set<String> = []
            for (index, slot) in request.slots.enumerated() where !seen.insert(slot.id).inserted {
                throw RequestError(.invalidValue, "slot id \"\(slot.id)\" is used twice", field: "slots[\(index)].id")
            }
        }
        request.session = try reader.string("session")
        if let consent = reader.value("consent") { request.consent = try decodeConsent(consent) }
        if let preferences = reader.value("preferences") {
            var inner = try ObjectReader(object: preferences, path: "preferences")
            try inner.allow(["include_topics", "exclude_topics"])
            request.preferences.includeTopics = try inner.strings("include_topics") ?? []
            request.preferences.excludeTopics = try inner.strings("exclude_topics") ?? []
        }
        request.explain = try reader.bool("explain") ?? false
        request.noRepeat = try reader.bool("no_repeat") ?? false
        request.blockedCategories = try reader.strings("blocked_categories") ?? []
        request.blockedAdvertisers = try reader.strings("blocked_advertisers") ?? []
        if let floor = try reader.number("relevance_floor") {
            guard (0...1).contains(floor) else { throw RequestError(.invalidValue, "relevance_floor must be between 0 and 1", field: "relevance_floor") }
            request.relevanceFloor = floor
        }
        if let limit = try reader.integer("max_per_advertiser") {
            guard limit >= 0 else { throw RequestError(.invalidValue, "max_per_advertiser must be 0 (no limit) or more", field: "max_per_advertiser") }
            request.maxPerAdvertiser = limit
        }
        if let ranker = try reader.string("ranker") {
            guard !ranker.contains("exec:") else {
                throw RequestError(.invalidValue, "requests may name built-in rankers only; external rankers are set by the deployer", field: "ranker")
            }
            do { _ = try RankerRegistry.make(ranker) } catch {
                throw RequestError(.invalidValue, "\(error)", field: "ranker")
            }
            request.ranker = ranker
        }
        if let now = try reader.string("now") {
            guard isISO8601Timestamp(now) else {
                throw RequestError(.invalidValue, "now must be an ISO 8601 time such as 2026-11-23T10:00:00Z", field: "now")
            }
            request.now = now
        }
        return request
    }

    /// A request's `page` object; `path` names it in errors (OpenRTB carries it at `site.ext.ctxsel.page`).
    public static func decodePage(_ value: JSONValue, path: String = "page") throws(RequestError) -> Page {
        var reader = try ObjectReader(object: value, path: path)
        try reader.allow(["url", "title", "html", "text", "lang", "keywords"])
        var page = Page()
        page.url = try reader.string("url")
        page.title = try reader.string("title")
        page.html = try reader.string("html")
        page.text = try reader.string("text")
        page.lang = try reader.string("lang")
        page.keywords = try reader.strings("keywords") ?? []
        if page.html != nil, page.text != nil {
            throw RequestError(.invalidValue, "give the page as html or as text, not both", field: "\(path).text")
        }
        if page.html == nil, page.text == nil, page.title == nil, page.keywords.isEmpty {
            throw RequestError(.missingField, "a page needs html, text, a title or keywords", field: path)
        }
        if let lang = page.lang, primaryLanguage(lang) == nil {
            throw RequestError(.invalidValue, "lang must be a language tag such as \"en\" or \"fr-CA\"", field: "\(path).lang")
        }
        return page
    }

    static func decodeSlot(_ value: JSONValue, path: String) throws(RequestError) -> Slot {
        var reader = try ObjectReader(object: value, path: path)
        try reader.allow(["id", "count", "kinds"])
        var slot = Slot()
        guard let id = try reader.string("id"), !id.isEmpty else {
            throw RequestError(.missingField, "a slot needs a non-empty id", field: "\(path).id")
        }
        slot.id = id
        if let count = try reader.integer("count") {
            guard (1...Slot.maximumCount).contains(count) else {
                throw RequestError(.invalidValue, "count must be between 1 and \(Slot.maximumCount)", field: "\(path).count")
            }
            slot.count = count
        }
        if let kinds = try reader.strings("kinds") {
            slot.kinds = []
            for (index, kind) in kinds.enumerated() {
                guard let parsed = ItemKind(rawValue: kind) else {
                    throw RequestError(.invalidValue, "kind must be one of ad, content, house", field: "\(path).kinds[\(index)]")
                }
                if !slot.kinds.contains(parsed) { slot.kinds.append(parsed) }
            }
        }
        return slot
    }

    static func decodeConsent(_ value: JSONValue) throws(RequestError) -> Consent {
        var reader = try ObjectReader(object: value, path: "consent")
        try reader.allow(["level", "gpc", "dnt"])
        var consent = Consent()
        if let level = try reader.string("level") {
            guard let parsed = Consent.Level(rawValue: level) else {
                throw RequestError(.invalidValue, "level must be one of none, context, session", field: "consent.level")
            }
            consent.level = parsed
        }
        consent.gpc = try reader.bool("gpc") ?? false
        consent.dnt = try reader.bool("dnt") ?? false
        return consent
    }
}
