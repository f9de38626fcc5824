import Contract
import Testing
import SelectionCore
@testable import Selection
import WireFormat

func decode(_ text: String) throws(RequestError) -> SelectionRequest {
    let json: JSONValue
    do { json = try JSONParser.parse(text) } catch { throw RequestError(.invalidJSON, error.description) }
    return try SelectionRequest.decode(json)
}

func expectError(_ text: String, _ code: RequestError.Code, field: String?, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let request = try decode(text)
        Issue.record("decoded \(request) instead of failing", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct RequestDecodingTests {
    @Test func decodesTheContract() throws {
        let request = try decode("""
            {"id": "r1", "page": {"url": "https://example.org/a", "title": "T", "text": "body", "lang": "en-GB",
             "keywords": ["k"]}, "slots": [{"id": "side", "count": 2, "kinds": ["ad", "content", "ad"]}],
             "consent": {"level": "session", "gpc": true, "dnt": false},
             "preferences": {"include_topics": ["tea"], "exclude_topics": ["coffee"]},
             "explain": true, "now": "2026-11-23T10:00:00Z"}
            """)
        #expect(request.id == "r1")
        #expect(request.page == .init(url: "https://example.org/a", title: "T", text: "body", lang: "en-GB", keywords: ["k"]))
        #expect(request.slots == [.init(id: "side", count: 2, kinds: [.ad, .content])])
        #expect(request.consent == .init(level: .session, gpc: true, dnt: false))
        #expect(request.preferences.excludeTopics == ["coffee"])
        #expect(request.explain)
    }

    @Test func defaults() throws {
        let request = try decode(#"{"page": {"title": "T"}}"#)
        #expect(request.slots == [SelectionRequest.Slot()])
        #expect(request.consent.level == .context)
        #expect(!request.explain)
    }

    @Test func errorsNameTheField() {
        expectError(#"{"slots": []}"#, .missingField, field: "page")
        expectError(#"{"page": {}}"#, .missingField, field: "page")
        expectError(#"{"page": "text"}"#, .invalidType, field: "page")
        expectError(#"{"page": {"title": 42}}"#, .invalidType, field: "page.title")
        expectError(#"{"page": {"title": "t", "keywords": ["a", 1]}}"#, .invalidType, field: "page.keywords[1]")
        expectError(#"{"page": {"html": "<p>", "text": "p"}}"#, .invalidValue, field: "page.text")
        expectError(#"{"page": {"title": "t"}, "slots": [{"id": "a", "count": 0}]}"#, .invalidValue, field: "slots[0].count")
        expectError(#"{"page": {"title": "t"}, "slots": [{"id": "a", "count": 1.5}]}"#, .invalidType, field: "slots[0].count")
        expectError(#"{"page": {"title": "t"}, "slots": [{"id": "a", "kinds": ["banner"]}]}"#, .invalidValue, field: "slots[0].kinds[0]")
        expectError(#"{"page": {"title": "t"}, "slots": [{"id": "a"}, {"id": "a"}]}"#, .invalidValue, field: "slots[1].id")
        expectError(#"{"page": {"title": "t"}, "consent": {"level": "all"}}"#, .invalidValue, field: "consent.level")
        expectError(#"{"page": {"title": "t"}, "explain": "yes"}"#, .invalidType, field: "explain")
        expectError(#"{"page": {"title": "t"}, "now": "yesterday"}"#, .invalidValue, field: "now")
        expectError(#"{"page": {"title": "t"}, "colour": "blue"}"#, .unknownField, field: "colour")
        expectError(#"{"page": {"title": "t", "body": "x"}}"#, .unknownField, field: "page.body")
        expectError(#"[1, 2]"#, .invalidType, field: nil)
    }

    @Test func keysThatMayBePersonalDataAreNotEchoed() {
        // An e-mail address as a key is an identity key: refused, and still not echoed.
        expectError(#"{"page": {"title": "t"}, "canary.person@example.org": 1}"#, .identityField, field: "<key of 25 bytes>")
        expectError(#"{"page": {"title": "t", "+44 20 7946 0958": 1}}"#, .unknownField, field: "page.<key of 16 bytes>")
        expectError(#"{"page": {"title": "t"}, "acct4111111111111111": 1}"#, .unknownField, field: "<key of 20 bytes>")
        expectError(#"{"page": {"title": "t"}, "\#(String(repeating: "k", count: 65))": 1}"#, .unknownField, field: "<key of 65 bytes>")
        expectError(#"{"page": {"title": "t"}, "email:someone@example.org": "x"}"#, .identityField, field: "<key of 25 bytes>")
        expectError(#"{"page": {"title": "t"}, "slot_2024": 1}"#, .unknownField, field: "slot_2024")
        #expect(EchoedKey.safe("user_id") == "user_id")
        #expect(EchoedKey.safe("") == "<key of 0 bytes>")
        #expect(EchoedKey.safe("café") == "<key of 5 bytes>")
    }

    @Test(arguments: [
        (#"{"page": {"title": "t"}, "user_id": "u-1"}"#, "user_id"),
        (#"{"page": {"title": "t"}, "user": {"name": "x"}}"#, "user"),
        (#"{"page": {"title": "t", "IP": "192.0.2.1"}}"#, "page.IP"),
        (#"{"page": {"title": "t"}, "slots": [{"id": "a", "deviceId": "d"}]}"#, "slots[0].deviceId"),
        (#"{"page": {"title": "t"}, "consent": {"X-Forwarded-For": "1.2.3.4"}}"#, "consent.X-Forwarded-For"),
        (#"{"page": {"title": "t"}, "extra": [{"idfa": "abc"}]}"#, "extra[0].idfa"),
        (#"{"page": {"title": "t"}, "userEmail": "abc"}"#, "userEmail"),
        (#"{"page": {"title": "t"}, "ctx": {"client_ip_address": "1.2.3.4"}}"#, "ctx.client_ip_address"),
        (#"{"page": {"title": "t"}, "x-device-id": "abc"}"#, "x-device-id"),
        (#"{"page": {"title": "t"}, "hashed_email_sha256": "abc"}"#, "hashed_email_sha256"),
        (#"{"page": {"title": "t"}, "meta": [[{"visitor_uuid": "abc"}]]}"#, "meta[0][0].visitor_uuid"),
    ])
    func identityFieldsAreRefusedAtAnyDepth(text: String, path: String) {
        do {
            _ = try decode(text)
            Issue.record("an identity field must be refused")
        } catch {
            #expect(error.code == .identityField)
            #expect(error.field == path)
            // The value is never echoed back.
            for secret in ["u-1", "192.0.2.1", "1.2.3.4", "abc"] { #expect(!error.message.contains(secret)) }
        }
    }

    @Test func timestamps() {
        #expect(isISO8601Timestamp("2026-11-23T10:00:00Z"))
        #expect(isISO8601Timestamp("2026-11-23T10:00:00.123+01:00"))
        #expect(isISO8601Timestamp("2026-11-23T10:00Z"))
        #expect(!isISO8601Timestamp("2026-13-23T10:00:00Z"))
        #expect(!isISO8601Timestamp("2026-11-23T10:00:00"))
        #expect(!isISO8601Timestamp("2026-11-23"))
    }
}

@Suite struct TimestampTests {
    @Test func convertsToUnixSeconds() {
        #expect(unixSeconds(iso8601: "1970-01-01T00:00:00Z") == 0)
        #expect(unixSeconds(iso8601: "2026-11-23T10:00:00Z") == 1_795_428_000)
        #expect(unixSeconds(iso8601: "2026-11-23T11:00:00+01:00") == 1_795_428_000)
        #expect(unixSeconds(iso8601: "2024-02-29T00:00Z") == 1_709_164_800)
        #expect(unixSeconds(iso8601: "2023-02-29T00:00Z") == nil, "not a leap year")
    }
}
