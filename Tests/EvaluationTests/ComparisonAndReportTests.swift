import Foundation
import Indexing
import Selection
import SelectionCore
import Testing
@testable import Evaluation
import WireFormat

@Suite struct ComparisonAndReportTests {
    /// A good run (judged documents by grade), the same run reversed, and the good run again.
    func evaluations() throws -> [RunEvaluation] {
        let qrels = try TRECQrels(parsing: try fixture("random.qrels"))
        var good = TRECRun(tag: "good")
        var reversed = TRECRun(tag: "reversed")
        for (query, judgments) in qrels.judgments {
            let ordered = judgments.keys.sorted()
            good.results[query] = ordered.enumerated().map { TRECRun.Entry(document: $1, score: Double(judgments[$1]!) + Double($0) / 1000) }
            reversed.results[query] = good.results[query]!.map { TRECRun.Entry(document: $0.document, score: -$0.score) }
        }
        var again = good
        again.tag = "good-again"
        let evaluator = RunEvaluator()
        return [try evaluator.evaluate(good, qrels: qrels), try evaluator.evaluate(reversed, qrels: qrels),
                try evaluator.evaluate(again, qrels: qrels)]
    }

    @Test func comparesEveryRunWithTheBaseline() throws {
        let runs = try evaluations()
        let comparer = RunComparer(measures: ["map", "P_10"], permutations: 2000, resamples: 2000, seed: 5)
        let comparisons = comparer.compare(runs)
        #expect(comparisons.count == 4)
        let worse = try #require(comparisons.first { $0.run == "reversed" && $0.measure == "map" })
        #expect(worse.meanDifference < 0)
        #expect(abs(worse.meanDifference - (worse.runMean - worse.baselineMean)) < 1e-12)
        #expect(worse.wins + worse.ties + worse.losses == worse.queries.count)
        #expect(worse.interval.upper < 0, "reversing the ranking clearly hurts")
        #expect(worse.isSignificant())
        let same = try #require(comparisons.first { $0.run == "good-again" && $0.measure == "map" })
        #expect(same.meanDifference == 0)
        #expect(same.ties == same.queries.count)
        #expect(same.randomization.pValue == 1)
        #expect(!same.isSignificant())
        // Holm never lowers a p-value, and the same seed gives the same answers.
        for comparison in comparisons { #expect(comparison.holmPValue >= comparison.randomization.pValue) }
        #expect(comparer.compare(runs) == comparisons)
    }

    @Test func reportsRenderEveryFormat() throws {
        let runs = try evaluations()
        let comparisons = RunComparer(measures: ["map"], permutations: 1000, resamples: 1000).compare(runs)
        let report = EvaluationReport(evaluations: runs, comparisons: comparisons, tableMeasures: ["num_q", "map", "P_10"],
                                      relevanceLevel: 1, averageOverAllQueries: false, permutations: 1000, seed: 1)
        let markdown = report.markdown
        #expect(markdown.contains("| map | "))
        #expect(markdown.contains("▼"), "the reversed run is marked significantly worse")
        let html = report.html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(!html.lowercased().contains("<script"), "no JavaScript")
        #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"), "no network resources")
        let json = try JSONParser.parse(JSONWriter.string(report.json))
        guard case .array(let jsonRuns)? = json["runs"] else { Issue.record("runs missing"); return }
        #expect(jsonRuns.count == 3)
        #expect(report.trecText(perQuery: false).contains("map                   \tall\t"))
    }

    @Test func selectionQualityByHand() throws {
        let items = [
            CatalogItem(id: "a", kind: .ad, title: "green tea", advertiser: "X", categories: ["1"]),
            CatalogItem(id: "b", kind: .ad, title: "green tea", advertiser: "X", categories: ["1"]),
            CatalogItem(id: "c", kind: .ad, title: "espresso coffee", advertiser: "Y", categories: ["2"]),
            CatalogItem(id: "d", kind: .content, title: "bicycle repair"),
        ]
        let index = try IndexBuilder().build(items)
        let quality = SelectionQuality(lists: [[items[0], items[1]], [items[0], items[2]]], requested: [2, 4], index: index)
        #expect(quality.coverage == 0.75)
        #expect(quality.fillRate == 4.0 / 6.0)
        #expect(quality.advertiserSpread == (0.5 + 1) / 2)
        // Identical items are not diverse at all; unrelated ones fully.
        #expect(abs(try #require(quality.intraListDiversity) - 0.5) < 1e-9)
        // Categories 1, 1, 1, 2: entropy / ln 2.
        let entropy = -(0.75 * log(0.75) + 0.25 * log(0.25))
        #expect(abs(try #require(quality.categorySpread) - entropy / log(2)) < 1e-12)
    }

    @Test func whatWasNotMeasuredIsNotAvailableNotZero() throws {
        let items = [CatalogItem(id: "d", kind: .content, title: "bicycle repair"), CatalogItem(id: "e", title: "tea")]
        let index = try IndexBuilder().build(items)
        // One list of one content item: no pair, no ad, no category.
        let quality = SelectionQuality(lists: [[items[0]]], requested: [3], index: index)
        #expect(quality.intraListDiversity == nil)
        #expect(quality.advertiserSpread == nil)
        #expect(quality.categorySpread == nil)
        #expect(quality.markdownTable.contains("| 1 | 0.5000 | n/a | n/a | n/a | 0.3333 |"), "\(quality.markdownTable)")
        #expect(JSONWriter.string(quality.json(depth: 0)).contains(#""advertiser_spread":null"#))
    }
}
