import Contract
import Foundation
import PageRendering
import Selection
import SelectionCore
import TextAnalysis
import WireFormat

/// Answers a BidRequest as a bidder from the catalog: each banner `imp` is a slot for one ad,
/// the best ad the engine picks for the page that is priced (`cpm`) in the response's currency
/// at or above the impression's floor, whose advertiser's domain is not in `badv`; `bcat` goes
/// to the engine as blocked categories. A sensitive page gets no bid unless the ad allows it
/// (`sensitive_ok`), as everywhere. Where nothing qualifies the answer is a no-bid.
///
/// `bcat` lists categories of the request's `cattax` (default 1, Content Category Taxonomy 1.0).
/// The engine knows Content Taxonomy 3.1 (9) only, so a non-empty `bcat` under another
/// taxonomy is refused with a no-bid that says so: a block list that cannot be read is not
/// honoured by ignoring it.
public struct Bidder: Sendable {
    public let enricher: BidRequestEnricher
    public let renderer: PageRenderer
    /// Ads the engine ranks per impression before price, floor and `badv` are applied.
    public var candidatesPerImpression: Int
    /// The seat bids are made in.
    public var seat: String

    public init(renderer: PageRenderer, candidatesPerImpression: Int = 20, seat: String = "ctxsel") {
        self.enricher = BidRequestEnricher(engine: renderer.engine)
        self.renderer = renderer
        self.candidatesPerImpression = candidatesPerImpression
        self.seat = seat
    }

    public enum Answer: Sendable {
        case bid(JSONValue)
        /// A BidResponse without `seatbid` (the service answers 204).
        case noBid(JSONValue)

        public var json: JSONValue {
            switch self {
            case .bid(let value), .noBid(let value): value
            }
        }
    }

    /// One banner impression as the request gives it.
    struct Impression {
        var id: String
        var floor: Double
        var floorCurrency: String
        var size: (w: Int, h: Int)?
        var isBanner: Bool
    }

    public func bid(_ request: JSONValue, scratch: AnalysisScratch = AnalysisScratch()) throws(RequestError) -> Answer {
        let context = try BidRequestContext(request)  // the request's shape, refused with its field before anything else
        let requestID: String = if case .string(let id)? = request["id"] { id } else { "" }
        let impressions = try Self.impressions(request)
        let currency: String = if case .array(let list)? = request["cur"], case .string(let first)? = list.first { first } else { "USD" }
        let fields = ObjectReader(request, path: "")
        let blockedCategories = try fields.strings("bcat") ?? []
        let blockedDomains = (try fields.strings("badv") ?? []).map { $0.lowercased() }
        let taxonomy: Int = if case .number(let number)? = request["cattax"] { Int(number) } else { 1 }
        let isTest = BidRequestContext.flag(request["test"])
        var notes: [String] = []
        if !blockedCategories.isEmpty, taxonomy != BidRequestEnricher.contentTaxonomy31 {
            return .noBid(noBid(requestID, reason: .invalidRequest, notes: [
                "bcat is under cattax \(taxonomy), which this bidder cannot map to Content Taxonomy 3.1 (cattax 9): no bid rather than a bid that might break the block list",
            ], removed: [], isTest: isTest))
        }
        let banners = impressions.filter(\.isBanner)
        for impression in impressions where !impression.isBanner {
            notes.append("imp \(impression.id): not a banner; this bidder renders HTML banners only")
        }
        let slots = banners.map { SelectionRequest.Slot(id: $0.id, count: candidatesPerImpression, kinds: [.ad]) }
        let reading = try enricher.read(request, context: context, slots: slots, scratch: scratch) { selection in
            selection.blockedCategories = blockedCategories
            selection.maxPerAdvertiser = max(selection.maxPerAdvertiser, candidatesPerImpression)
        }
        guard let response = reading.response else {
            return .noBid(noBid(requestID, reason: .unknown, notes: notes + ["the request carries no page text to choose by"],
                                removed: reading.removed, isTest: isTest))
        }
        var bids: [JSONValue] = []
        for impression in banners {
            guard let filled = response.slots.first(where: { $0.id == impression.id }) else { continue }
            guard impression.floorCurrency == currency else {
                notes.append("imp \(impression.id): its floor is in \(impression.floorCurrency), bids are in \(currency); no currency is converted")
                continue
            }
            var chosen: SelectionResponse.SelectedItem?
            var passed: [String: Int] = [:]
            for selected in filled.items where !selected.isFallback {
                let item = selected.candidate.item
                guard let price = item.cpm else { passed["unpriced", default: 0] += 1; continue }
                guard price.currency == currency else { passed["priced in another currency", default: 0] += 1; continue }
                guard price.amount >= impression.floor, price.amount > 0 else { passed["below the floor", default: 0] += 1; continue }
                if let domain = Self.domain(of: item.url), blockedDomains.contains(where: { domain == $0 || domain.hasSuffix("." + $0) }) {
                    passed["advertiser in badv", default: 0] += 1
                    continue
                }
                chosen = selected
                break
            }
            guard let chosen else {
                let why = passed.isEmpty ? "no ad matched the page" : passed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                notes.append("imp \(impression.id): no bid (\(why))")
                continue
            }
            bids.append(bidJSON(chosen, impression: impression, requestID: requestID))
        }
        var receipt: [(String, JSONValue)] = [
            ("removed", .array(reading.removed.map(JSONValue.string))),
            ("page_from", .array(reading.context.pageFrom.map(JSONValue.string))),
            ("sensitive", .bool(reading.sensitive)),
            ("consent", BidRequestEnricher.consent(reading.context)),
        ]
        if isTest { receipt.append(("test", .bool(true))) }
        if !notes.isEmpty { receipt.append(("notes", .array(notes.map(JSONValue.string)))) }
        if bids.isEmpty {
            return .noBid(noBid(requestID, reason: .unknown, notes: notes, removed: reading.removed, isTest: isTest, receipt: receipt))
        }
        return .bid(.object([
            ("id", .string(requestID)),
            ("cur", .string(currency)),
            ("seatbid", .array([.object([("seat", .string(seat)), ("bid", .array(bids))])])),
            ("ext", .object([("ctxsel", .object(receipt))])),
        ]))
    }

    func bidJSON(_ selected: SelectionResponse.SelectedItem, impression: Impression, requestID: String) -> JSONValue {
        let item = selected.candidate.item
        var fields: [(String, JSONValue)] = [
            ("id", .string("\(requestID)-\(impression.id)")),
            ("impid", .string(impression.id)),
            ("price", .number(item.cpm!.amount)),
            ("adid", .string(item.id)),
            ("crid", .string(item.id)),
        ]
        if let domain = Self.domain(of: item.url) { fields.append(("adomain", .array([.string(domain)]))) }
        if !item.categories.isEmpty {
            fields.append(("cat", .array(item.categories.map(JSONValue.string))))
            fields.append(("cattax", .number(Double(BidRequestEnricher.contentTaxonomy31))))
        }
        if let size = impression.size {
            fields.append(("w", .number(Double(size.w))))
            fields.append(("h", .number(Double(size.h))))
        }
        fields.append(("adm", .string(renderer.fragment(for: item, slot: impression.id))))
        fields.append(("ext", .object([("ctxsel", .object([("why", selected.json["why"] ?? .null)]))])))
        return .object(fields)
    }

    /// OpenRTB 2.6 no-bid reason codes used here.
    enum NoBidReason: Int {
        case unknown = 0
        case invalidRequest = 2
    }

    func noBid(_ requestID: String, reason: NoBidReason, notes: [String], removed: [String], isTest: Bool,
               receipt: [(String, JSONValue)]? = nil) -> JSONValue {
        var ext = receipt ?? [("removed", .array(removed.map(JSONValue.string)))]
        if receipt == nil {
            if isTest { ext.append(("test", .bool(true))) }
            if !notes.isEmpty { ext.append(("notes", .array(notes.map(JSONValue.string)))) }
        }
        return .object([("id", .string(requestID)), ("nbr", .number(Double(reason.rawValue))),
                        ("ext", .object([("ctxsel", .object(ext))]))])
    }

    static func impressions(_ request: JSONValue) throws(RequestError) -> [Impression] {
        guard case .array(let list)? = request["imp"] else { return [] }
        var seen: Set<String> = []
        var impressions: [Impression] = []
        for (index, value) in list.enumerated() {
            let path = "imp[\(index)]"
            guard case .string(let id)? = value["id"], !id.isEmpty else {
                throw RequestError(.missingField, "an imp needs its id (a string)", field: "\(path).id")
            }
            guard seen.insert(id).inserted else { throw RequestError(.invalidValue, "imp ids must be unique", field: "\(path).id") }
            var floor = 0.0
            switch value["bidfloor"] {
            case nil: break
            case .number(let number)? where number.isFinite && number >= 0: floor = number
            default: throw RequestError(.invalidValue, "bidfloor must be a number of at least 0", field: "\(path).bidfloor")
            }
            let floorCurrency: String = if case .string(let code)? = value["bidfloorcur"] { code } else { "USD" }
            var size: (w: Int, h: Int)?
            let banner = value["banner"]
            if case .number(let w)? = banner?["w"], case .number(let h)? = banner?["h"] {
                size = (Int(w), Int(h))
            } else if case .array(let formats)? = banner?["format"], let first = formats.first,
                      case .number(let w)? = first["w"], case .number(let h)? = first["h"] {
                size = (Int(w), Int(h))
            }
            let isBanner: Bool = if case .object? = banner { true } else { false }
            impressions.append(Impression(id: id, floor: floor, floorCurrency: floorCurrency, size: size, isBanner: isBanner))
        }
        return impressions
    }

    /// The host of an http(s) URL without a leading `www.`, lower-cased.
    static func domain(of url: String?) -> String? {
        guard let url, let host = URLComponents(string: url)?.host?.lowercased(), !host.isEmpty else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }
}
