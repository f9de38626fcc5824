import Contract
import Foundation
import Selection
import TextAnalysis
import WireFormat

/// What an OpenRTB BidRequest says about its page and its privacy signals, read without
/// touching the network: the page comes from what the request carries.
public struct BidRequestContext: Sendable {
    /// `site`, `app` or `dooh`: where the page's context lives, nil when the request has none.
    public var placeKey: String?
    /// The page to analyse, nil when the request carries nothing to read.
    public var page: SelectionRequest.Page?
    /// The request fields the page was made from, as dotted paths.
    public var pageFrom: [String]
    /// Privacy signals present: `regs.gpc`, `device.dnt`, `device.lmt`.
    public var signals: [String]

    /// The page from `site.ext.ctxsel.page` (the object a `select` request's `page` is), else
    /// from `content.title`, `content.keywords`, `content.kwarray`, the place's `keywords` and
    /// `name`, with `content.language` as its language.
    /// - Throws: ``RequestError`` when the request is not an object or its `ext.ctxsel.page` is invalid.
    public init(_ request: JSONValue) throws(RequestError) {
        guard case .object = request else { throw RequestError(.invalidType, "a BidRequest must be a JSON object", field: "") }
        guard case .string? = request["id"] else { throw RequestError(.missingField, "a BidRequest needs its id (a string)", field: "id") }
        guard case .array(let impressions)? = request["imp"], !impressions.isEmpty else {
            throw RequestError(.missingField, "a BidRequest needs at least one imp", field: "imp")
        }
        placeKey = ["site", "app", "dooh"].first { if case .object? = request[$0] { true } else { false } }
        pageFrom = []
        signals = []
        page = nil
        if Self.flag(request["regs"]?["gpc"]) || Self.flag(request["regs"]?["ext"]?["gpc"]) { signals.append("regs.gpc") }
        if Self.flag(request["device"]?["dnt"]) { signals.append("device.dnt") }
        if Self.flag(request["device"]?["lmt"]) { signals.append("device.lmt") }
        guard let placeKey, let place = request[placeKey] else { return }
        if let declared = place["ext"]?["ctxsel"]?["page"] {
            page = try SelectionRequest.decodePage(declared, path: "\(placeKey).ext.ctxsel.page")
            pageFrom = ["\(placeKey).ext.ctxsel.page"]
            return
        }
        var built = SelectionRequest.Page()
        var words: [String] = []
        let content = place["content"]
        if case .string(let title)? = content?["title"], !title.isEmpty {
            built.title = title
            pageFrom.append("\(placeKey).content.title")
        }
        if case .string(let keywords)? = content?["keywords"], !keywords.isEmpty {
            words += Self.commaSeparated(keywords)
            pageFrom.append("\(placeKey).content.keywords")
        }
        if case .array(let array)? = content?["kwarray"], !array.isEmpty {
            words += array.compactMap { if case .string(let word) = $0 { word } else { nil } }
            pageFrom.append("\(placeKey).content.kwarray")
        }
        if case .string(let keywords)? = place["keywords"], !keywords.isEmpty {
            words += Self.commaSeparated(keywords)
            pageFrom.append("\(placeKey).keywords")
        }
        if case .array(let array)? = place["kwarray"], !array.isEmpty {
            words += array.compactMap { if case .string(let word) = $0 { word } else { nil } }
            pageFrom.append("\(placeKey).kwarray")
        }
        if case .string(let name)? = place["name"], !name.isEmpty {
            if built.title == nil { built.title = name } else { words.append(name) }
            pageFrom.append("\(placeKey).name")
        }
        if case .string(let language)? = content?["language"], primaryLanguage(language) != nil {
            built.lang = language
            pageFrom.append("\(placeKey).content.language")
        }
        if case .string(let url)? = place["page"] { built.url = IdentityRemoval.withoutQuery(url) }
        built.keywords = words
        if built.title != nil || !words.isEmpty { page = built } else { pageFrom = [] }
    }

    /// 1, "1", or true.
    static func flag(_ value: JSONValue?) -> Bool {
        switch value {
        case .number(let number)?: number == 1
        case .string(let text)?: text == "1"
        case .bool(let flag)?: flag
        default: false
        }
    }

    static func commaSeparated(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
