import Foundation
import Testing

/// `ctxsel openrtb` through the binary, on the default catalog and the specification's examples.
@Suite struct OpenRTBCLITests {

    @Test func enrichReadsAPrettyPrintedExampleAndNDJSONAlike() throws {
        let example = packageRoot.appendingPathComponent("Tests/OpenRTBTests/Fixtures/video.json").path
        let single = try run(["openrtb", "enrich", example])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.lines.count == 1)
        let enriched = try parse(single.lines[0])
        #expect(enriched["user"] == nil)
        #expect(((enriched["ext"] as? [String: Any])?["ctxsel"] as? [String: Any])?["removed"] != nil)
        // The same request as one NDJSON line, with a malformed line after it.
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: example))))
        let lines = try write(String(decoding: compact, as: UTF8.self) + "\n{broken\n", to: "openrtb-requests.jsonl")
        let stream = try run(["openrtb", "enrich", lines])
        #expect(stream.status == 1 && stream.lines.count == 2, "\(stream.stderr)")
        #expect(stream.lines[1].contains("\"line\":2") && stream.lines[1].contains("invalid_json"))
    }

    @Test func bidAnswersFromTheDefaultCatalogsPricedAds() throws {
        let request = #"{"id": "a1", "cur": ["USD"], "imp": [{"id": "1", "bidfloor": 0.5, "banner": {"w": 300, "h": 250}}], "site": {"ext": {"ctxsel": {"page": {"title": "Trail running in the mountains", "text": "Trail running shoes for muddy mountain trails and your first trail marathon."}}}}, "device": {"ifa": "IFA-CLI-1"}}"#
        let result = try run(["openrtb", "bid", try write(request + "\n", to: "openrtb-bid.jsonl")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""adid":"ad:trailhead"#), "\(result.stdout)")
        #expect(result.stdout.contains(#""cur":"USD""#) && !result.stdout.contains("IFA-CLI-1"))
    }
}
