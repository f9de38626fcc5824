import Foundation
import Indexing
import PageRendering
import Selection
import SelectionCore
import Testing
import WireFormat
@testable import OpenRTB

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Priced ads for tea and coffee pages, one priced in euros, one allowed on sensitive pages.
let pricedCatalog = """
    {"id": "ad:tea", "kind": "ad", "advertiser": "Kettle Co", "title": "Loose-leaf green tea", "body": "Green and oolong tea leaves.", "keywords": ["tea", "leaves"], "url": "https://www.kettle.example/tea", "categories": ["210"], "cpm": {"amount": 2.5, "currency": "USD"}}
    {"id": "ad:coffee", "kind": "ad", "advertiser": "Bean Co", "title": "Espresso machines", "body": "Coffee at home.", "keywords": ["coffee"], "url": "https://bean.example/espresso", "cpm": {"amount": 0.2, "currency": "USD"}}
    {"id": "ad:teapot", "kind": "ad", "advertiser": "Pot Co", "title": "Cast iron teapot for green tea", "body": "A teapot.", "keywords": ["tea", "teapot"], "url": "https://pot.example/", "cpm": {"amount": 4, "currency": "EUR"}}
    {"id": "ad:clinic", "kind": "ad", "advertiser": "Care Co", "title": "Diabetes care clinic", "body": "Insulin and diabetes treatment.", "keywords": ["diabetes", "insulin"], "url": "https://care.example/", "cpm": {"amount": 3, "currency": "USD"}, "sensitive_ok": true}
    {"id": "content:guide", "title": "How to brew green tea", "body": "Water temperature and steeping time for tea leaves."}
    {"id": "house:news", "kind": "house", "title": "Our newsletter", "body": "Weekly, no tracking."}
    """

func makeBidder() throws -> Bidder {
    let items = try CatalogLoader.parse(pricedCatalog, source: "priced.jsonl")
    var engine = SelectionEngine(index: try IndexBuilder().build(items))
    engine.classifier = try CategoryClassifier(folder: root.appendingPathComponent("Catalog"))
    return Bidder(renderer: try PageRenderer(engine: engine, templateFolder: root.appendingPathComponent("Catalog/templates")))
}

func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

/// A BidRequest with identity hidden in every place the contract names, each value unique so
/// that it can be searched for in the output.
let hostileRequest = """
    {"id": "req-1", "cur": ["USD"], "imp": [{"id": "1", "bidfloor": 1.0, "banner": {"w": 300, "h": 250},
       "ext": {"prebid": {"bidder": {"x": {"uid": "IMP-UID-7731", "email": "reader@example.org"}}}}}],
     "site": {"id": "s1", "page": "https://news.example/tea?email=reader%40example.org#token-991", "ref": "https://previous.example/REF-PAGE-552",
       "ext": {"ctxsel": {"page": {"title": "Green tea", "text": "How to steep green tea leaves in a teapot: water, time and tea."}},
               "data": {"eids": [{"source": "id5-sync.com", "uids": [{"id": "SITE-EID-4410"}]}]}}},
     "device": {"ifa": "IFA-8842", "ip": "203.0.113.77", "ipv6": "2001:db8::abcd:77", "didsha1": "DIDSHA1-1", "didmd5": "DIDMD5-1",
       "dpidsha1": "DPIDSHA1-1", "dpidmd5": "DPIDMD5-1", "macsha1": "MACSHA1-1", "macmd5": "MACMD5-1", "ua": "UA-STRING-Mozilla/5.0 Hostile",
       "sua": {"browsers": [{"brand": "BROWSER-BRAND-9", "version": ["120"]}], "platform": {"brand": "Android", "version": ["PLATFORM-VERSION-13"]}, "mobile": 1, "model": "SUA-MODEL-Pixel-77"},
       "geo": {"lat": 48.85661, "lon": 2.35222, "city": "CITY-Paris", "zip": "ZIP-75001", "country": "FRA", "region": "IDF", "metro": "METRO-1"},
       "make": "MAKE-Google", "model": "MODEL-Pixel-77", "hwv": "HWV-1", "devicetype": 4, "os": "Android", "osv": "OSV-13.0.1", "dnt": 1, "lmt": 0,
       "carrier": "CARRIER-X", "ext": {"ifa_type": "IFA-TYPE-sspid", "atts": 3}},
     "user": {"id": "USER-ID-1", "buyeruid": "BUYER-UID-1", "yob": 1984, "gender": "F", "keywords": "USER-KEYWORDS-gardening",
       "consent": "CONSENT-TCF-CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA", "geo": {"lat": 51.5, "city": "USER-CITY-London"},
       "data": [{"id": "dp", "segment": [{"id": "SEGMENT-1"}]}], "eids": [{"source": "liveramp.com", "uids": [{"id": "USER-EID-1"}]}],
       "ext": {"eids": [{"source": "uidapi.com", "uids": [{"id": "USER-EXT-EID-1"}]}]}},
     "source": {"tid": "tid-1", "ext": {"schain": {"ver": "1.0", "complete": 1, "nodes": [{"asi": "exchange.example", "sid": "1", "hp": 1}]},
       "eids": [{"source": "x.example", "uids": [{"id": "SOURCE-EID-1"}]}]}},
     "regs": {"gdpr": 1, "gpc": 1, "ext": {"us_privacy": "1YNN"}},
     "ext": {"prebid": {"buyeruids": {"appnexus": "BUYERUIDS-1"}, "data": {"buyeruid": "EXT-BUYERUID-1"}}}}
    """

let hostileValues = ["IMP-UID-7731", "reader@example.org", "reader%40example.org", "token-991", "REF-PAGE-552", "SITE-EID-4410",
                     "IFA-8842", "203.0.113.77", "2001:db8::abcd:77", "DIDSHA1-1", "DIDMD5-1", "DPIDSHA1-1", "DPIDMD5-1",
                     "MACSHA1-1", "MACMD5-1", "UA-STRING", "BROWSER-BRAND-9", "PLATFORM-VERSION-13", "SUA-MODEL-Pixel-77",
                     "48.85661", "2.35222", "CITY-Paris", "ZIP-75001", "METRO-1", "MAKE-Google", "MODEL-Pixel-77", "HWV-1",
                     "OSV-13.0.1", "CARRIER-X", "IFA-TYPE-sspid", "USER-ID-1", "BUYER-UID-1", "1984", "USER-KEYWORDS-gardening",
                     "CONSENT-TCF", "USER-CITY-London", "SEGMENT-1", "USER-EID-1", "USER-EXT-EID-1", "SOURCE-EID-1",
                     "BUYERUIDS-1", "EXT-BUYERUID-1"]

@Suite struct IdentityRemovalTests {
    @Test func noIdentityValueSurvivesAnywhereInTheOutput() throws {
        let bidder = try makeBidder()
        let enriched = JSONWriter.string(try bidder.enricher.enrich(try json(hostileRequest)))
        for value in hostileValues {
            #expect(!enriched.contains(value), "\(value) is still in the enriched request: \(enriched)")
        }
        guard case .bid(let response) = try bidder.bid(try json(hostileRequest)) else { Issue.record("no bid on a tea page"); return }
        let bid = JSONWriter.string(response)
        for value in hostileValues { #expect(!bid.contains(value), "\(value) is in the BidResponse") }
    }

    @Test func whatStaysIsWhatAContextualBuyerNeeds() throws {
        let enriched = try makeBidder().enricher.enrich(try json(hostileRequest))
        #expect(enriched["device"] == (try json(#"{"sua": {"platform": {"brand": "Android"}, "mobile": 1}, "geo": {"country": "FRA", "region": "IDF"}, "devicetype": 4, "os": "Android", "dnt": 1, "lmt": 0}"#)))
        #expect(enriched["user"] == nil)
        #expect(enriched["site"]?["page"] == .string("https://news.example/tea"))
        #expect(enriched["site"]?["ref"] == nil)
        #expect(enriched["source"]?["ext"]?["schain"] != nil, "the supply chain names sellers, not readers: kept")
        #expect(enriched["regs"] == (try json(#"{"gdpr": 1, "gpc": 1, "ext": {"us_privacy": "1YNN"}}"#)))
        guard case .array(let removed)? = enriched["ext"]?["ctxsel"]?["removed"] else { Issue.record("no receipt"); return }
        let paths = removed.compactMap { if case .string(let path) = $0 { path } else { nil } }
        for path in ["user.id", "user.buyeruid", "user.eids", "user.ext", "device.ifa", "device.ip", "device.ipv6", "device.ua",
                     "device.geo.lat", "device.geo.city", "device.sua.browsers", "device.sua.platform.version", "device.ext.ifa_type",
                     "site.ref", "site.page?query", "site.ext.data.eids", "imp[0].ext.prebid.bidder.x.uid", "source.ext.eids",
                     "ext.prebid.buyeruids.appnexus", "ext.prebid.data.buyeruid"] {
            #expect(paths.contains(path), "\(path) is not listed as removed")
        }
    }

    @Test(arguments: ["simple-banner.json", "mobile-app.json", "pmp-direct-deal.json", "video.json"])
    func theSpecificationsExamplesLoseTheirIdentifiers(name: String) throws {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        let request = try json(text)
        var identity: [String] = []
        if case .object(let user)? = request["user"] {
            for (_, value) in user { identity += Self.strings(in: value) }
        }
        for key in ["ua", "ifa", "ip", "model", "make", "carrier", "osv"] {
            if case .string(let value)? = request["device"]?[key] { identity.append(value) }
        }
        if case .string(let referrer)? = request["site"]?["ref"] { identity.append(referrer) }
        // Values long enough to be found only where they were written ("6" would match any number).
        identity = identity.filter { $0.count >= 8 }
        #expect(!identity.isEmpty)
        let answer = OpenRTBLine.answer(Array(text.utf8), line: 1, mode: .enrich, bidder: try makeBidder())
        #expect(answer.error == nil, "\(answer.output)")
        let written = JSONWriter.string(answer.output)
        for value in identity { #expect(!written.contains(value), "\(name): \(value) survived") }
        #expect(answer.output["id"] == request["id"] && answer.output["imp"] == request["imp"], "the auction's own fields stay")
    }

    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .number(let number): [String(Int(number))]
        case .array(let values): values.flatMap(strings)
        case .object(let members): members.flatMap { strings(in: $0.1) }
        default: []
        }
    }
}

@Suite struct EnrichmentTests {
    @Test func thePageFromExtCtxselGivesKeywordsCategoriesAndLanguage() throws {
        let enriched = try makeBidder().enricher.enrich(try json(hostileRequest))
        let content = try #require(enriched["site"]?["content"])
        guard case .array(let keywords)? = content["kwarray"] else { Issue.record("no kwarray: \(content)"); return }
        #expect(keywords.contains(.string("tea")), "\(keywords)")
        #expect(content["language"] == .string("en"))
        #expect(content["cattax"] == .number(9) && enriched["site"]?["cattax"] == .number(9))
        guard case .array(let categories)? = content["cat"] else { Issue.record("no cat: \(content)"); return }
        #expect(categories.contains(.string("210")), "Food & Drink: \(categories)")
        #expect(enriched["site"]?["pagecat"] == content["cat"])
        let receipt = try #require(enriched["ext"]?["ctxsel"])
        #expect(receipt["page_from"] == .array([.string("site.ext.ctxsel.page")]))
        #expect(receipt["consent"]?["signals"] == .array([.string("regs.gpc"), .string("device.dnt")]))
        #expect(receipt["sensitive"] == .bool(false))
    }

    @Test func categoriesUnderAnotherTaxonomyAreLeftAloneAndSaidSo() throws {
        let text = try String(contentsOf: fixtures.appendingPathComponent("video.json"), encoding: .utf8)
        let enriched = try makeBidder().enricher.enrich(try json(text))
        #expect(enriched["site"]?["content"]?["cat"] == .array([.string("IAB2-2")]), "the publisher's 1.0 categories stay")
        #expect(enriched["site"]?["content"]?["cattax"] == nil && enriched["site"]?["cattax"] == nil)
        #expect(enriched["ext"]?["ctxsel"]?["page_from"] == (try json(#"["site.content.title", "site.content.keywords", "site.name"]"#)))
        let notes = JSONWriter.string(enriched["ext"]?["ctxsel"]?["notes"] ?? .null)
        if enriched["ext"]?["ctxsel"]?["categories"] != nil { #expect(notes.contains("cattax 1"), "\(notes)") }
    }

    @Test func aSensitivePageGetsNoKeywordsOrCategories() throws {
        let request = #"{"id": "r", "imp": [{"id": "1", "banner": {"w": 300, "h": 250}}], "site": {"ext": {"ctxsel": {"page": {"title": "Living with diabetes", "text": "Insulin doses, blood sugar, diabetes treatment and the clinic."}}}}}"#
        let enriched = try makeBidder().enricher.enrich(try json(request))
        #expect(enriched["ext"]?["ctxsel"]?["sensitive"] == .bool(true))
        #expect(enriched["site"]?["content"]?["kwarray"] == nil && enriched["site"]?["pagecat"] == nil)
    }
}

@Suite struct BidderTests {
    func request(floor: Double = 0.5, cur: String = "USD", bcat: [String]? = nil, cattax: Int? = nil, badv: [String]? = nil,
                 title: String = "Green tea", text: String = "How to steep green tea leaves: water temperature and tea.") -> String {
        var fields = [#""id": "auction-9""#, #""cur": ["\#(cur)"]"#,
                      #""imp": [{"id": "1", "bidfloor": \#(floor), "banner": {"format": [{"w": 300, "h": 250}]}}]"#,
                      #""site": {"page": "https://news.example/tea", "ext": {"ctxsel": {"page": {"title": "\#(title)", "text": "\#(text)"}}}}"#]
        if let bcat { fields.append(#""bcat": [\#(bcat.map { "\"\($0)\"" }.joined(separator: ", "))]"#) }
        if let cattax { fields.append(#""cattax": \#(cattax)"#) }
        if let badv { fields.append(#""badv": [\#(badv.map { "\"\($0)\"" }.joined(separator: ", "))]"#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    func bids(_ answer: Bidder.Answer) -> [JSONValue] {
        guard case .bid(let response) = answer, case .array(let seats)? = response["seatbid"] else { return [] }
        return seats.flatMap { seat -> [JSONValue] in
            if case .array(let bids)? = seat["bid"] { return bids }
            return []
        }
    }

    @Test func theBestPricedAdAtOrAboveTheFloorWinsWithItsCreative() throws {
        let answer = try makeBidder().bid(try json(request()))
        let bid = try #require(bids(answer).first, "\(answer.json)")
        #expect(bid["adid"] == .string("ad:tea") && bid["impid"] == .string("1") && bid["price"] == .number(2.5))
        #expect(bid["adomain"] == .array([.string("kettle.example")]))
        #expect(bid["cat"] == .array([.string("210")]) && bid["cattax"] == .number(9))
        #expect(bid["w"] == .number(300) && bid["h"] == .number(250))
        guard case .string(let adm)? = bid["adm"] else { Issue.record("no adm"); return }
        #expect(adm.contains("Loose-leaf green tea") && adm.contains("Sponsored"), "\(adm)")
        #expect(bid["ext"]?["ctxsel"]?["why"]?["matched_terms"] != nil)
        #expect(answer.json["cur"] == .string("USD") && answer.json["id"] == .string("auction-9"))
    }

    @Test func aFloorAboveEveryPriceIsANoBid() throws {
        let answer = try makeBidder().bid(try json(request(floor: 3)))
        guard case .noBid(let response) = answer else { Issue.record("bid over the floor: \(answer.json)"); return }
        #expect(response["seatbid"] == nil && response["nbr"] != nil)
        #expect(JSONWriter.string(response).contains("below the floor"), "\(response)")
    }

    @Test func badvBlocksTheAdvertisersDomain() throws {
        let answer = try makeBidder().bid(try json(request(badv: ["kettle.example"])))
        #expect(!bids(answer).contains { $0["adid"] == .string("ad:tea") }, "\(answer.json)")
    }

    @Test func bcatUnderContentTaxonomy31BlocksThoseCategories() throws {
        let answer = try makeBidder().bid(try json(request(bcat: ["210"], cattax: 9)))
        #expect(!bids(answer).contains { $0["adid"] == .string("ad:tea") }, "\(answer.json)")
    }

    @Test func bcatUnderAnotherTaxonomyIsRefusedWithANoBidThatSaysWhy() throws {
        let answer = try makeBidder().bid(try json(request(bcat: ["IAB8-5"])))
        guard case .noBid(let response) = answer else { Issue.record("bid despite an unreadable bcat: \(answer.json)"); return }
        #expect(response["nbr"] == .number(2))
        #expect(JSONWriter.string(response).contains("cattax 1"))
    }

    @Test func anotherCurrencyIsNotConverted() throws {
        // The teapot ad is priced in euros only: in a EUR auction it is the only candidate.
        let answer = try makeBidder().bid(try json(request(floor: 0.5, cur: "EUR").replacingOccurrences(of: #""bidfloor": 0.5"#, with: #""bidfloor": 0.5, "bidfloorcur": "EUR""#)))
        #expect(bids(answer).map { $0["adid"] } == [.string("ad:teapot")], "\(answer.json)")
    }

    @Test func aSensitivePageGetsOnlyAnAdThatAllowsIt() throws {
        let answer = try makeBidder().bid(try json(request(floor: 0.1, title: "Living with diabetes",
                                                           text: "Insulin doses, blood sugar, diabetes treatment and the clinic.")))
        #expect(bids(answer).allSatisfy { $0["adid"] == .string("ad:clinic") }, "\(answer.json)")
    }

    @Test(arguments: ["simple-banner.json", "mobile-app.json", "pmp-direct-deal.json", "video.json"])
    func everyExampleOfTheSpecificationGetsABidResponse(name: String) throws {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        let answer = OpenRTBLine.answer(Array(text.utf8), line: 1, mode: .bid, bidder: try makeBidder())
        #expect(answer.error == nil, "\(name): \(answer.output)")
        #expect(answer.output["id"] == (try json(text))["id"], "the BidResponse answers the request's id")
        // None of these pages is about tea: each is a no-bid that says why, never an error.
        #expect(answer.isNoBid && answer.output["nbr"] != nil && answer.output["seatbid"] == nil, "\(name): \(answer.output)")
        if name == "mobile-app.json" { #expect(JSONWriter.string(answer.output).contains("cattax 1"), "its bcat is under 1.0") }
    }

    @Test func theSpecificationsVideoRequestIsANoBidForABannerBidder() throws {
        let text = try String(contentsOf: fixtures.appendingPathComponent("video.json"), encoding: .utf8)
        let answer = OpenRTBLine.answer(Array(text.utf8), line: 1, mode: .bid, bidder: try makeBidder())
        #expect(answer.isNoBid && answer.error == nil, "\(answer.output)")
        #expect(JSONWriter.string(answer.output).contains("not a banner"))
    }

    @Test func aBadLineGetsTheSameErrorRecordAsSelect() throws {
        let answer = OpenRTBLine.answer(Array("{not json".utf8), line: 7, mode: .bid, bidder: try makeBidder())
        #expect(answer.error?.code == .invalidJSON && answer.output["line"] == .number(7))
        let noImp = OpenRTBLine.answer(Array(#"{"id": "x", "imp": []}"#.utf8), line: 2, mode: .enrich, bidder: try makeBidder())
        #expect(noImp.error?.field == "imp" && noImp.output["id"] == .string("x"))
    }
}
