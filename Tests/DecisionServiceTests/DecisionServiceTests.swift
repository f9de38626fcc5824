import Contract
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SelectionCore
import Testing
@testable import DecisionService
@testable import Selection
import WireFormat

let serviceCatalog: [CatalogItem] = [
    CatalogItem(id: "ad:tea", kind: .ad, title: "Loose-leaf green tea", body: "Green and oolong tea.", advertiser: "Kettle Co", keywords: ["tea"]),
    CatalogItem(id: "ad:coffee", kind: .ad, title: "Espresso machines", body: "Coffee at home.", advertiser: "Bean Co", keywords: ["coffee"]),
    CatalogItem(id: "content:guide", title: "How to brew green tea", body: "Water temperature and steeping time."),
    CatalogItem(id: "house:news", kind: .house, title: "Our newsletter"),
]

@Suite struct DecisionServiceTests {
    let engine = try! SelectionEngine(catalog: serviceCatalog)

    func service(maximumRequestBytes: Int = 4096) -> DecisionService {
        DecisionService(holder: EngineHolder(engine), maximumRequestBytes: maximumRequestBytes, maximumBatchBytes: 1 << 20)
    }

    static let requestLine = #"{"id": "r1", "page": {"url": "https://example.org/canary-url-7q", "title": "green tea", "text": "tea leaves"}, "slots": [{"id": "s", "count": 2}], "now": "2026-11-23T10:00:00Z"}"#

    @Test func answersLikeTheLibrary() async throws {
        let expected = JSONWriter.string(try engine.select(try SelectionRequest.decode(try JSONParser.parse(Self.requestLine))).json) + "\n"
        try await Application(router: service().router()).test(.live) { client in
            try await client.execute(uri: "/v1/select", method: .post, body: ByteBuffer(string: Self.requestLine)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == expected, "the service answers byte for byte as the library")
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test func badAndOversizedBodiesGetJSONErrors() async throws {
        try await Application(router: service(maximumRequestBytes: 2048).router()).test(.live) { client in
            try await client.execute(uri: "/v1/select", method: .post, body: ByteBuffer(string: #"{"page": {"title": 3}}"#)) { response in
                #expect(response.status == .badRequest)
                let record = try JSONParser.parse(String(buffer: response.body))
                #expect(record["error"]?["field"] == .string("page.title"))
            }
            try await client.execute(uri: "/v1/select", method: .post, body: ByteBuffer(string: "{nope")) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("invalid_json"))
            }
            let huge = #"{"page": {"text": ""# + String(repeating: "tea ", count: 2000) + #""}}"#
            try await client.execute(uri: "/v1/select", method: .post, body: ByteBuffer(string: huge)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("line_too_long"))
            }
        }
    }

    @Test func privacyHeadersCapConsentAndIdentityHeadersAreIgnored() async throws {
        let line = #"{"page": {"title": "green tea"}, "consent": {"level": "session"}}"#
        var headers = HTTPFields()
        headers[HTTPField.Name("Sec-GPC")!] = "1"
        headers[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.9"
        headers[.cookie] = "visitor=abc"
        let sent = headers
        try await Application(router: service().router()).test(.live) { client in
            try await client.execute(uri: "/v1/select", method: .post, headers: sent, body: ByteBuffer(string: line)) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                let json = try JSONParser.parse(body)
                #expect(json["privacy"]?["consent"]?["applied"] == .string("context"))
                #expect(body.contains("Global Privacy Control"))
                #expect(body.contains("header x-forwarded-for") && body.contains("header cookie"))
                #expect(!body.contains("203.0.113.9") && !body.contains("visitor=abc"))
            }
        }
    }

    @Test func batchesStreamOneLinePerRequest() async throws {
        let batch = Self.requestLine + "\nnot json\n\n" + #"{"id": "r3", "page": {"title": "coffee"}}"# + "\n"
        try await Application(router: service().router()).test(.live) { client in
            try await client.execute(uri: "/v1/select/batch", method: .post, body: ByteBuffer(string: batch)) { response in
                #expect(response.status == .ok)
                let lines = String(buffer: response.body).split(separator: "\n")
                #expect(lines.count == 3)
                #expect(lines[1].contains(#""line":2"#) && lines[1].contains("invalid_json"))
                #expect(lines[2].contains(#""id":"r3""#))
            }
        }
    }

    @Test func aWrongMethodGets405NamingTheRightOne() async throws {
        try await Application(router: service().router()).test(.live) { client in
            for (uri, method, allowed) in [("/v1/select", HTTPRequest.Method.get, "POST"), ("/v1/select/batch", .put, "POST"),
                                           ("/healthz", .post, "GET"), ("/metrics", .delete, "GET")] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(response.headers[.allow] == allowed)
                    #expect(String(buffer: response.body).contains("method_not_allowed"))
                }
            }
            try await client.execute(uri: "/nowhere", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func healthAndMetricsCarryNoPageData() async throws {
        let service = service()
        try await Application(router: service.router()).test(.live) { client in
            try await client.execute(uri: "/v1/select", method: .post, body: ByteBuffer(string: Self.requestLine)) { _ in }
            try await client.execute(uri: "/v1/select", method: .post, body: ByteBuffer(string: "{")) { _ in }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""catalog_items":4"#))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"ctxsel_requests_total{endpoint="select"} 2"#))
                #expect(text.contains(#"ctxsel_errors_total{code="invalid_json"} 1"#))
                #expect(text.contains("ctxsel_request_duration_seconds_count 2"))
                #expect(text.contains("ctxsel_catalog_items 4"))
                #expect(!text.contains("canary-url-7q") && !text.contains("green tea"))
            }
        }
    }

    @Test func reloadSwapsTheEngineWithoutFailingRequestsInFlight() async throws {
        let service = service()
        let bigger = try SelectionEngine(catalog: serviceCatalog + [CatalogItem(id: "ad:teapot", kind: .ad, title: "Glass teapot",
                                                                                advertiser: "Glass Co", keywords: ["tea"])])
        try await Application(router: service.router()).test(.live) { client in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for round in 0..<40 {
                    group.addTask {
                        try await client.execute(uri: "/v1/select", method: .post, body: ByteBuffer(string: Self.requestLine)) { $0.status }
                    }
                    if round == 20 { service.holder.replace(with: bigger) }
                }
                for try await status in group { #expect(status == .ok) }
            }
            #expect(service.holder.version == 2)
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(String(buffer: response.body).contains(#""catalog_items":5"#))
            }
        }
        let admin = service.adminRouter { bigger }
        try await Application(router: admin).test(.live) { client in
            try await client.execute(uri: "/v1/reload", method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""catalog_version":3"#))
            }
        }
    }

    /// The load test in miniature: concurrent requests with 5 % malformed ones mixed in. It asserts
    /// behaviour (every good one answered, every bad one refused, the counters agree), not speed.
    @Test func smokeLoadWithMalformedRequestsMixedIn() async throws {
        let service = service()
        try await Application(router: service.router()).test(.live) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<200 {
                    let body = index % 20 == 0 ? #"{"id": "bad", "page": {"title": "# : Self.requestLine
                    group.addTask {
                        try await client.execute(uri: "/v1/select", method: .post, body: ByteBuffer(string: body)) { $0.status }
                    }
                }
                var all: [HTTPResponse.Status] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0 == .ok }.count == 190)
            #expect(statuses.filter { $0 == .badRequest }.count == 10)
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"ctxsel_requests_total{endpoint="select"} 200"#))
                #expect(text.contains(#"ctxsel_errors_total{code="invalid_json"} 10"#))
            }
        }
    }
}

