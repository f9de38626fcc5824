import Contract
import Selection
import SelectionCore
import Testing
import TextAnalysis
import WireFormat

/// The one path from an input line to its output line, shared by every front end.
@Suite struct SelectionLineTests {
    let engine: SelectionEngine

    init() throws {
        engine = try SelectionEngine(catalog: [
            CatalogItem(id: "ad:tea", kind: .ad, title: "Loose-leaf green tea", body: "Green and oolong tea with a teapot.",
                        advertiser: "Kettle Co", keywords: ["tea", "teapot"]),
            CatalogItem(id: "house:news", kind: .house, title: "Our newsletter", body: "Weekly.", priority: 1),
        ])
    }

    func answer(_ line: String, number: Int = 1, prepare: (inout SelectionRequest) -> Void = { _ in },
                finish: (inout SelectionResponse) -> Void = { _ in }) -> SelectionLine.Answer {
        SelectionLine.answer(Array(line.utf8), line: number, engine: engine, scratch: AnalysisScratch(), prepare: prepare, finish: finish)
    }

    @Test func aRequestLineBecomesItsResponseLine() throws {
        let result = answer(#"{"id": "r1", "page": {"title": "Green tea", "text": "Steep green tea in a teapot."}, "slots": [{"id": "s", "count": 1, "kinds": ["ad"]}]}"#)
        #expect(result.error == nil)
        let read = try ResponseLine(JSONWriter.string(result.output), line: 1)
        guard case .response(let id, let slots, let page) = read else { Issue.record("not a response: \(read)"); return }
        #expect(id == "r1")
        #expect(slots == [.init(id: "s", count: 1, items: [.init(id: "ad:tea", advertiser: "Kettle Co")])])
        #expect(page.keywords.contains("tea") && !page.sensitive, "\(page)")
    }

    @Test func aBadLineBecomesAnErrorRecordNamingItsLineAndId() throws {
        let broken = answer(#"{"id": "r7", "page": {"title": 3}}"#, number: 7)
        #expect(broken.error?.code == .invalidType)
        let text = JSONWriter.string(broken.output)
        #expect(text == #"{"line":7,"id":"r7","error":{"code":"invalid_type","message":"must be a string, not number","field":"page.title"}}"#)
        let identity = answer(#"{"id": "r8", "page": {"text": "tea"}, "user": {"email": "x@example.org"}}"#, number: 8)
        #expect(identity.error?.code == .identityField)
        let identityText = JSONWriter.string(identity.output)
        #expect(identityText.contains(#""id":"r8""#) && !identityText.contains("example.org"), "\(identityText)")
        let notJSON = answer("{oops", number: 9)
        #expect(notJSON.error?.code == .invalidJSON)
        #expect(try ResponseLine(JSONWriter.string(notJSON.output), line: 1) == .error(line: 9, id: nil, code: "invalid_json"))
    }

    @Test func frontEndsAdjustTheRequestAndAnnotateTheResponse() throws {
        let line = #"{"page": {"text": "green tea"}, "consent": {"level": "session"}}"#
        let result = answer(line, prepare: { $0.consent.gpc = true },
                            finish: { $0.privacy.ignored.append(.init(field: "header cookie", reason: "never read")) })
        let text = JSONWriter.string(result.output)
        #expect(text.contains(#""applied":"context""#), "GPC set by the front end caps consent: \(text)")
        #expect(text.contains(#""field":"header cookie""#), "\(text)")
    }

    @Test func aLineTooLongIsNamedWithTheLimit() {
        let result = SelectionLine.tooLong(line: 3, bytes: 9_000_000, limit: 8_388_608, limitName: "--max-line-bytes")
        #expect(result.error?.code == .lineTooLong)
        #expect(JSONWriter.string(result.output)
            == #"{"line":3,"id":null,"error":{"code":"line_too_long","message":"line of 9000000 bytes exceeds --max-line-bytes 8388608"}}"#)
    }

    @Test func aResponseLineThatIsNeitherNamesTheField() {
        do {
            _ = try ResponseLine(#"{"slots": [{"id": "s", "count": 2, "items": [{"title": "no id"}]}]}"#, line: 4)
            Issue.record("an item without an id must be refused")
        } catch {
            #expect(error.line == 4)
            #expect(error.field == "slots[0].items[0].id")
        }
        #expect(throws: ResponseLine.DecodingError.self) { try ResponseLine("[1, 2]", line: 1) }
    }
}
