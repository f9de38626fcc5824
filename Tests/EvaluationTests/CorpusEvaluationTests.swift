import Foundation
import Evaluation
import Selection
import SelectionCore
import Testing

/// Ranker settings over a labeled corpus through the library, as `evaluate --corpus` runs them.
@Suite struct CorpusEvaluationTests {
    func corpus() throws -> LabeledCorpus {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            {"id": "1", "title": "Green tea", "text": "Steep green tea leaves in a teapot."}
            {"id": "2", "title": "Espresso", "text": "Espresso from dark roasted coffee beans."}
            {"id": "3", "title": "Black tea", "text": "Black tea with milk."}
            """.write(to: folder.appendingPathComponent("docs.jsonl"), atomically: true, encoding: .utf8)
        try """
            {"id": "q1", "text": "green tea"}
            {"id": "q2", "text": "coffee beans"}
            """.write(to: folder.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "q1 0 1 2\nq1 0 3 1\nq2 0 2 1\n".write(to: folder.appendingPathComponent("qrels.txt"), atomically: true, encoding: .utf8)
        return try LabeledCorpus(folder: folder)
    }

    @Test func eachSettingGivesItsRunMeasuresAndQuality() throws {
        let evaluation = try CorpusEvaluation(corpus: try corpus())
        var seen: [(Int, Int)] = []
        let outcome = try evaluation.evaluate("bm25,mmr:0.7", depth: 10, evaluator: RunEvaluator()) { seen.append(($0, $1)) }
        #expect(outcome.run.tag == "bm25_mmr_0.7")
        #expect(outcome.run.results["q1"]?.first?.document == "1")
        #expect(outcome.run.results["q2"]?.first?.document == "2")
        #expect(seen.map(\.0) == [1, 2] && seen.allSatisfy { $0.1 == 2 })
        let map = try #require(outcome.evaluation.value("map"))
        #expect(map > 0.9, "both queries find their best document first: \(map)")
        #expect(throws: RankerError.self) { try evaluation.evaluate("no-such-ranker", depth: 10, evaluator: RunEvaluator()) }
    }
}
