import Foundation
import Testing

/// `ctxsel report` through the binary: on `select`'s own output, in every format; refusals.
@Suite(.serialized) struct ReportCLITests {
    /// 400 responses of `select` on the test catalog: tea pages and coffee pages, and one malformed request.
    func responseLog() throws -> String {
        let catalog = try write(catalogText, to: "report-catalog.jsonl")
        var requests: [String] = []
        for number in 0..<400 {
            let topic = number % 4 == 0 ? "espresso coffee machines" : "green tea leaves"
            requests.append(#"{"id": "p\#(number)", "page": {"title": "Page \#(number)", "text": "\#(topic)"}, "slots": [{"id": "side", "count": 1}]}"#)
        }
        requests.append("{broken")
        let input = try write(requests.joined(separator: "\n") + "\n", to: "report-requests.jsonl")
        let selected = try run(["select", "--catalog", catalog, input])
        #expect(selected.lines.count == 401)
        return try write(selected.stdout, to: "report-log.jsonl")
    }

    @Test func aSeededReportPublishesTheCommonKeysAndSaysItIsNotPrivate() throws {
        let log = try responseLog()
        let result = try run(["report", "--epsilon", "6", "--keys-per-response", "2", "--seed", "7", log])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("NOT private"))
        let report = try parse(result.stdout)
        #expect(report["private"] as? Bool == false)
        let tables = try #require(report["tables"] as? [String: Any])
        let items = try #require(tables["items"] as? [[String: Any]])
        // The true impressions of the item shown most, read from the log itself.
        var shown: [String: Int] = [:]
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            let response = try parse(String(line))
            for slot in response["slots"] as? [[String: Any]] ?? [] {
                for item in slot["items"] as? [[String: Any]] ?? [] { shown[item["id"] as! String, default: 0] += 1 }
            }
        }
        let (top, impressions) = try #require(shown.max { $0.value < $1.value })
        #expect(impressions >= 100, "\(shown)")
        let published = try #require(items.first { $0["key"] as? String == top }, "\(top) is published: \(items)")
        // The noise has scale 2 (2 keys a response over ε 6/6); 40 is twenty scales.
        #expect(abs((published["count"] as? Int ?? 0) - impressions) < 40, "\(published) against \(impressions)")
        let slots = try #require(tables["slots"] as? [[String: Any]])
        #expect(slots.first?["key"] as? String == "side" && (slots.first?["fill_rate"] as? Double ?? 0) > 0.8, "\(slots)")
        #expect(abs((report["responses"] as? Int ?? 0) - 400) < 20)
        let noise = try #require(report["noise"] as? [String: Any])
        #expect(Set(noise.keys) == ["responses", "items", "advertisers", "categories", "keywords", "slots"])

        let again = try run(["report", "--epsilon", "6", "--keys-per-response", "2", "--seed", "7", log])
        #expect(again.stdout == result.stdout, "a seed gives the same report")
    }

    @Test func everyFormatIsWritten() throws {
        let log = try responseLog()
        for (format, mark) in [("markdown", "# Aggregate report"), ("html", "<svg"), ("csv", "table,key,name,count"), ("json", "\"epsilon\"")] {
            let result = try run(["report", "--epsilon", "6", "--format", format, log])
            #expect(result.status == 0 && result.stdout.contains(mark), "\(format): \(result.stdout.prefix(200)) \(result.stderr)")
            #expect(!result.stdout.contains("NOT PRIVATE"), "without --seed the report is private")
        }
    }

    @Test func badParametersAndLogsThatAreNotResponsesAreRefused() throws {
        let log = try responseLog()
        for arguments in [["--epsilon", "0"], ["--epsilon=-1"], ["--epsilon", "1", "--delta", "0"], ["--epsilon", "1", "--delta", "1"],
                          ["--epsilon", "1", "--keys-per-response", "0"], ["--epsilon", "1", "--max-contributions", "0"]] {
            let result = try run(["report"] + arguments + [log])
            #expect(result.status != 0 && result.stderr.contains("must"), "\(arguments): \(result.stderr)")
        }
        let requests = try write(#"{"id": "x", "page": {"title": "a request"}}"# + "\n", to: "report-not-responses.jsonl")
        let refused = try run(["report", "--epsilon", "1", requests])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("report-not-responses.jsonl: line 1, field slots"), "\(refused.stderr)")
    }
}
