import Selection
import SelectionCore
import TextAnalysis
import WireFormat

/// Turns a tracking BidRequest into a contextual one: identity out (``IdentityRemoval``), the
/// page's context in, and a receipt at `ext.ctxsel` saying both.
///
/// Added, on the request's `site` (or `app`, `dooh`): `content.kwarray` (the page's top keywords
/// as it wrote them), `content.language`, `content.cat` with `content.cattax` 9 and `pagecat`
/// with `cattax` 9 (IAB Content Taxonomy 3.1 in AdCOM's list of category taxonomies). Where the
/// publisher already lists categories under another taxonomy, those are left as they are and
/// the receipt says why nothing was added beside them (one `cattax` covers all of an object's
/// lists). A sensitive page gets no keywords and no categories: the receipt says only that it is
/// sensitive.
public struct BidRequestEnricher: Sendable {
    public let engine: SelectionEngine
    /// Keywords written to `kwarray`, at most.
    public var keywordLimit: Int

    /// AdCOM List: Category Taxonomies, IAB Tech Lab Content Taxonomy 3.1.
    public static let contentTaxonomy31 = 9

    public init(engine: SelectionEngine, keywordLimit: Int = 10) {
        self.engine = engine
        self.keywordLimit = keywordLimit
    }

    /// What the engine read from the page, and the request stripped of identity.
    public struct Reading: Sendable {
        public var context: BidRequestContext
        public var stripped: JSONValue
        public var removed: [String]
        /// Nil when the request carries no page.
        public var response: SelectionResponse?
        public var sensitive: Bool { response?.sensitive ?? false }
    }

    /// Reads a request: its context, the request without identity, and what the page is about.
    /// `slots` are filled when given (the bidder's impressions); enrichment asks for none.
    /// `context` is the request's, when the caller has already read it.
    public func read(_ request: JSONValue, context: BidRequestContext? = nil, slots: [SelectionRequest.Slot] = [],
                     scratch: AnalysisScratch = AnalysisScratch(),
                     prepare: (inout SelectionRequest) -> Void = { _ in }) throws(RequestError) -> Reading {
        let context = if let context { context } else { try BidRequestContext(request) }
        let (stripped, removed) = IdentityRemoval.strip(request)
        var response: SelectionResponse?
        if let page = context.page {
            var selection = SelectionRequest(page: page, slots: slots,
                                             consent: .init(level: .context, gpc: context.signals.contains("regs.gpc"),
                                                            dnt: context.signals.contains("device.dnt")))
            prepare(&selection)
            response = try engine.select(selection, scratch: scratch)
        }
        return Reading(context: context, stripped: stripped, removed: removed, response: response)
    }

    /// The enriched BidRequest.
    public func enrich(_ request: JSONValue, scratch: AnalysisScratch = AnalysisScratch()) throws(RequestError) -> JSONValue {
        let reading = try read(request, scratch: scratch)
        var enriched = reading.stripped
        var notes: [String] = []
        var added: [String] = []
        let keywords = reading.sensitive ? [] : Array((reading.response?.keywords ?? []).prefix(keywordLimit))
        let categories = reading.sensitive ? [] : (reading.response?.categories ?? [])
        if reading.sensitive { notes.append("the page is sensitive: no keywords or categories were added") }
        let pageLanguage = reading.response?.language
        let language = pageLanguage?.code
        if let placeKey = reading.context.placeKey, case .object? = enriched[placeKey], reading.response != nil {
            var place = enriched[placeKey]!
            var content: JSONValue = place["content"] ?? .object([])
            if !keywords.isEmpty {
                content = content.setting("kwarray", .array(keywords.map { .string($0.text) }))
                added.append("\(placeKey).content.kwarray")
            }
            if let language, content["language"] == nil {
                content = content.setting("language", .string(language))
                added.append("\(placeKey).content.language")
            }
            if !categories.isEmpty {
                let ids = JSONValue.array(categories.map { .string($0.id) })
                if let taxonomy = Self.foreignTaxonomy(of: content, lists: ["cat"]) {
                    notes.append("\(placeKey).content.cat is under cattax \(taxonomy): left as it is, no categories added beside it")
                } else {
                    content = content.setting("cat", ids).setting("cattax", .number(Double(Self.contentTaxonomy31)))
                    added.append("\(placeKey).content.cat")
                }
                if let taxonomy = Self.foreignTaxonomy(of: place, lists: ["cat", "sectioncat", "pagecat"]) {
                    notes.append("\(placeKey).cat, sectioncat or pagecat are under cattax \(taxonomy): left as they are, pagecat not added")
                } else {
                    place = place.setting("pagecat", ids).setting("cattax", .number(Double(Self.contentTaxonomy31)))
                    added.append("\(placeKey).pagecat")
                }
            }
            place = place.setting("content", content)
            enriched = enriched.setting(placeKey, place)
        }
        if reading.context.page == nil {
            notes.append("the request carries no page text (site.ext.ctxsel.page, content title, keywords or name): nothing added")
        }
        var receipt: [(String, JSONValue)] = [
            ("removed", .array(reading.removed.map(JSONValue.string))),
            ("added", .array(added.map(JSONValue.string))),
            ("page_from", .array(reading.context.pageFrom.map(JSONValue.string))),
            ("sensitive", .bool(reading.sensitive)),
            ("consent", Self.consent(reading.context)),
        ]
        if let pageLanguage {
            var fields: [(String, JSONValue)] = [("value", .string(pageLanguage.code)), ("source", .string(pageLanguage.source.rawValue))]
            if let confidence = pageLanguage.confidence { fields.append(("confidence", .number(confidence))) }
            if let contradicted = pageLanguage.contradicted { fields.append(("declared", .string(contradicted))) }
            receipt.append(("language", .object(fields)))
        }
        if !categories.isEmpty {
            receipt.append(("categories", .array(categories.map { .object([("id", .string($0.id)), ("name", .string($0.name))]) })))
            receipt.append(("cattax", .number(Double(Self.contentTaxonomy31))))
        }
        if !notes.isEmpty { receipt.append(("notes", .array(notes.map(JSONValue.string)))) }
        let ext = (enriched["ext"] ?? .object([])).setting("ctxsel", .object(receipt))
        return enriched.setting("ext", ext)
    }

    /// The consent applied: the page only, whatever the request asks, with the signals seen.
    static func consent(_ context: BidRequestContext) -> JSONValue {
        .object([("applied", .string("context")),
                 ("reason", .string("a BidRequest carries no visit state the engine may read: the page only")),
                 ("signals", .array(context.signals.map(JSONValue.string)))])
    }

    /// The taxonomy of an object's category lists when it is not 3.1 (OpenRTB 2.6: `cattax`
    /// defaults to 1, Content Category Taxonomy 1.0), nil when it is 3.1 or no list is given.
    static func foreignTaxonomy(of object: JSONValue, lists: [String]) -> Int? {
        let hasList = lists.contains { if case .array(let values)? = object[$0] { !values.isEmpty } else { false } }
        guard hasList else { return nil }
        let taxonomy: Int = if case .number(let number)? = object["cattax"] { Int(number) } else { 1 }
        return taxonomy == contentTaxonomy31 ? nil : taxonomy
    }
}

extension JSONValue {
    /// This object with `key` set to `value`: replaced where it is, else appended.
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return .object([(key, value)]) }
        if let index = members.firstIndex(where: { $0.0 == key }) { members[index].1 = value } else { members.append((key, value)) }
        return .object(members)
    }
}
