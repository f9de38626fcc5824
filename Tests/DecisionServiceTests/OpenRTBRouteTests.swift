import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenRTB
import PageRendering
import SelectionCore
import Testing
@testable import DecisionService
@testable import Selection
import WireFormat

/// `POST /openrtb2/enrich` and `POST /openrtb2/bid` answer as the filter (``OpenRTBLine``) does.
@Suite struct OpenRTBRouteTests {
    static let templates = try! PageRenderer.templateSources(
        in: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Catalog/templates"))

    let engine: SelectionEngine = {
        var priced = serviceCatalog
        priced[0].cpm = Price(amount: 2, currency: "USD")
        priced[0].url = "https://kettle.example/tea"
        return try! SelectionEngine(catalog: priced)
    }()

    func service() -> DecisionService {
        DecisionService(holder: EngineHolder(engine), maximumRequestBytes: 1 << 16, maximumBatchBytes: 1 << 20, templates: Self.templates)
    }

    static func bidRequest(floor: Double) -> String {
        #"{"id": "a1", "imp": [{"id": "1", "bidfloor": \#(floor), "banner": {"w": 300, "h": 250}}], "site": {"ext": {"ctxsel": {"page": {"title": "green tea", "text": "tea leaves for tea"}}}}, "user": {"id": "U-77", "buyeruid": "B-88"}, "device": {"ifa": "IFA-99", "ip": "198.51.100.7"}}"#
    }

    @Test func bothRoutesAnswerAsTheFilterAndANoBidIs204() async throws {
        let bidder = Bidder(renderer: try PageRenderer(engine: engine, templates: Self.templates))
        let request = Self.bidRequest(floor: 1)
        let enriched = JSONWriter.string(OpenRTBLine.answer(Array(request.utf8), line: 1, mode: .enrich, bidder: bidder).output) + "\n"
        let bid = JSONWriter.string(OpenRTBLine.answer(Array(request.utf8), line: 1, mode: .bid, bidder: bidder).output) + "\n"
        try await Application(router: service().router()).test(.live) { client in
            try await client.execute(uri: "/openrtb2/enrich", method: .post, body: ByteBuffer(string: request)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == enriched)
                for identity in ["U-77", "B-88", "IFA-99", "198.51.100.7"] { #expect(!String(buffer: response.body).contains(identity)) }
            }
            try await client.execute(uri: "/openrtb2/bid", method: .post, body: ByteBuffer(string: request)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == bid)
                #expect(String(buffer: response.body).contains(#""adid":"ad:tea""#))
            }
            try await client.execute(uri: "/openrtb2/bid", method: .post, body: ByteBuffer(string: Self.bidRequest(floor: 5))) { response in
                #expect(response.status == .noContent)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/openrtb2/bid", method: .post, body: ByteBuffer(string: "{nope")) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("invalid_json"))
            }
            try await client.execute(uri: "/openrtb2/enrich", method: .get) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "POST")
            }
        }
    }
}
