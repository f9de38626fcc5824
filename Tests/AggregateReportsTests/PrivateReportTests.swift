import Contract
import Foundation
import SelectionCore
import Testing
import WireFormat
@testable import AggregateReports

/// A response line as `ctxsel select` writes it, with only what reports read.
func responseLine(items: [(String, String?)], slot: String = "s", keywords: [String] = [], categories: [String] = []) -> String {
    let itemText = items.map { item in
        "{\"id\": \"\(item.0)\"" + (item.1.map { ", \"advertiser\": \"\($0)\"" } ?? "") + "}"
    }.joined(separator: ", ")
    let keywordText = keywords.map { "{\"term\": \"\($0)\", \"text\": \"\($0)\", \"weight\": 1}" }.joined(separator: ", ")
    let categoryText = categories.map { "{\"id\": \"\($0)\", \"name\": \"Category \($0)\", \"score\": 0.9}" }.joined(separator: ", ")
    return "{\"id\": \"r\", \"slots\": [{\"id\": \"\(slot)\", \"count\": 3, \"items\": [\(itemText)]}], \"keywords\": [\(keywordText)], "
        + "\"categories\": [\(categoryText)], \"sensitive\": false}"
}

@Suite struct ContributionBoundTests {
    @Test func aResponseAddsAtMostKDistinctKeysPerTableTakenInItsOwnOrder() throws {
        var counts = ResponseCounts(keysPerResponse: 2)
        let line = responseLine(items: [("a", "X"), ("b", "X"), ("a", "Y"), ("c", "Z")], keywords: ["tea", "pot", "leaf", "tea"],
                                categories: ["1", "2", "3"])
        try counts.add(log: line + "\n" + line + "\n")
        #expect(counts.responses == 2)
        #expect(counts.counts[.items] == ["a": 2, "b": 2], "items: the first two distinct, each once per response")
        #expect(counts.counts[.advertisers] == ["X": 2, "Y": 2])
        #expect(counts.counts[.keywords] == ["tea": 2, "pot": 2])
        #expect(counts.counts[.categories] == ["1": 2, "2": 2])
        #expect(counts.counts[.slots] == ["s": 2] && counts.filled == ["s": 2])
    }

    @Test func errorRecordsCountApartAndAnEmptySlotIsServedNotFilled() throws {
        var counts = ResponseCounts(keysPerResponse: 5)
        try counts.add(log: """
            {"line": 3, "id": null, "error": {"code": "invalid_json", "message": "x"}}

            \(responseLine(items: []))
            """)
        #expect(counts.errorRecords == 1 && counts.responses == 1)
        #expect(counts.counts[.slots] == ["s": 1] && counts.filled == [:])
    }

    @Test func aLineThatIsNotAResponseIsRefusedByNumber() {
        var counts = ResponseCounts(keysPerResponse: 5)
        #expect {
            try counts.add(log: responseLine(items: []) + "\n{\"page\": {\"title\": \"a request, not a response\"}}\n")
        } throws: { error in
            (error as? ResponseLine.DecodingError).map { $0.line == 2 && $0.field == "slots" } ?? false
        }
    }
}

@Suite struct PrivateReportTests {
    func counts(_ lines: [String], k: Int = 5) throws -> ResponseCounts {
        var counts = ResponseCounts(keysPerResponse: k)
        try counts.add(log: lines.joined(separator: "\n"))
        return counts
    }

    @Test func theBudgetAddsUpAndEachScaleIsSensitivityOverItsShare() throws {
        let parameters = ReportParameters(epsilon: 1.2, delta: 1e-5, keysPerResponse: 3, maxContributions: 2)
        var coins = ExactBernoulli(SplitMix64(seed: 1))
        let report = try PrivateReport.publish(try counts([responseLine(items: [("a", "X")])], k: 3), parameters: parameters,
                                               coins: &coins, isPrivate: false)
        let epsilons = [report.responseNoise.epsilon] + ReportTable.allCases.map { report.noise[$0]!.epsilon }
        let deltas = ReportTable.allCases.map { report.noise[$0]!.delta }
        #expect(abs(epsilons.reduce(0, +) - 1.2) < 1e-12, "\(epsilons)")
        #expect(abs(deltas.reduce(0, +) - 1e-5) < 1e-18, "\(deltas)")
        #expect(report.responseNoise.sensitivity == 2)
        #expect(report.noise[.keywords]!.sensitivity == 6 && report.noise[.slots]!.sensitivity == 12)
        for table in ReportTable.allCases {
            let noise = report.noise[table]!
            #expect(abs(noise.scale / (Double(noise.sensitivity) / noise.epsilon) - 1) < 1e-9, "\(table): \(noise.scale)")
        }
    }

    /// A keyword read on one page only is published in at most δ of the runs (the table's share
    /// of δ), up to the test's own error: 4 binomial standard deviations over 20,000 runs.
    @Test func aKeyPresentOnceIsPublishedAtMostDeltaOfTheTime() throws {
        let parameters = ReportParameters(epsilon: 3, delta: 0.25, keysPerResponse: 1)
        var lines = (0..<200).map { _ in responseLine(items: [("a", "X")], keywords: ["common"]) }
        lines.append(responseLine(items: [("a", "X")], keywords: ["rare"]))
        let counted = try counts(lines, k: 1)
        var coins = ExactBernoulli(SplitMix64(seed: 9))
        let runs = 20_000
        var published = 0, commonPublished = 0
        for _ in 0..<runs {
            let report = try PrivateReport.publish(counted, parameters: parameters, coins: &coins, isPrivate: false)
            if report.tables[.keywords]!.contains(where: { $0.key == "rare" }) { published += 1 }
            if report.tables[.keywords]!.contains(where: { $0.key == "common" }) { commonPublished += 1 }
        }
        let delta = parameters.deltaPerTable
        let rate = Double(published) / Double(runs)
        #expect(rate <= delta + 4 * (delta * (1 - delta) / Double(runs)).squareRoot(), "published in \(published) of \(runs) runs, δ per table \(delta)")
        #expect(commonPublished == runs, "a keyword on 200 pages is always published")
        // And the exact probability, for a bound no sampling error blurs:
        let selection = PartitionSelection(noise: DiscreteLaplace(sensitivity: 1, epsilon: parameters.epsilonPerTable), delta: delta,
                                           keysPerUnit: 1, maxContributions: 1)
        #expect(selection.publicationProbability(count: 1) <= delta)
        #expect(selection.publicationProbability(count: 1) > delta / 10, "the threshold is not needlessly high")
    }

    @Test func publishedCountsAreUnbiasedForKeysWellAboveTheThreshold() throws {
        let parameters = ReportParameters(epsilon: 2, delta: 1e-6, keysPerResponse: 1)
        let counted = try counts((0..<300).map { _ in responseLine(items: [("a", "X")]) }, k: 1)
        var coins = ExactBernoulli(SplitMix64(seed: 4))
        var sum = 0.0
        let runs = 4_000
        for _ in 0..<runs {
            let report = try PrivateReport.publish(counted, parameters: parameters, coins: &coins, isPrivate: false)
            sum += Double(report.tables[.items]!.first { $0.key == "a" }!.count)
        }
        let sd = DiscreteLaplace(sensitivity: 1, epsilon: parameters.epsilonPerTable).standardDeviation
        #expect(abs(sum / Double(runs) - 300) <= 4 * sd / Double(runs).squareRoot(), "mean \(sum / Double(runs)), stddev \(sd)")
    }

    @Test(arguments: [(0.0, 1e-6), (-1, 1e-6), (Double.nan, 1e-6), (Double.infinity, 1e-6), (1, 0), (1, 1), (1, -0.1), (1, 1.5)])
    func parametersOutOfRangeAreRefused(epsilon: Double, delta: Double) {
        #expect(throws: ReportError.self) { try ReportParameters(epsilon: epsilon, delta: delta).validate() }
    }

    @Test func theJSONHasTheDocumentedShape() throws {
        var coins = ExactBernoulli(SplitMix64(seed: 3))
        let report = try PrivateReport.publish(try counts([responseLine(items: [("a", "X")], keywords: ["tea"], categories: ["1"])]),
                                               parameters: ReportParameters(epsilon: 1), coins: &coins, isPrivate: false)
        let json = report.json
        guard case .object(let members) = json else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["epsilon", "delta", "contributions", "private", "responses", "error_records", "tables", "noise"])
        guard case .object(let tables)? = json["tables"], case .object(let noise)? = json["noise"] else { Issue.record("\(json)"); return }
        #expect(tables.map(\.0) == ["items", "advertisers", "categories", "keywords", "slots"])
        #expect(noise.map(\.0) == ["responses", "items", "advertisers", "categories", "keywords", "slots"])
        #expect(json["noise"]?["keywords"]?["mechanism"] == .string("discrete_laplace"))
        #expect(json["private"] == .bool(false))
        #expect(report.markdown.contains("NOT PRIVATE") && report.html.contains("NOT PRIVATE"))
        #expect(report.csv.hasPrefix("table,key,name,count,filled,fill_rate,stddev\nresponses,responses,,"))
    }
}
