import Foundation
import Evaluation
import Selection
import SelectionCore
import Testing
import TextAnalysis

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

    func folder(docs: String, queries: String, qrels: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try docs.write(to: folder.appendingPathComponent("docs.jsonl"), atomically: true, encoding: .utf8)
        try queries.write(to: folder.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try qrels.write(to: folder.appendingPathComponent("qrels.txt"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func documentsAndQueriesCarryTheirLanguage() throws {
        let corpus = try LabeledCorpus(folder: try folder(
            docs: """
                {"id": "1", "text": "Die Werkzeuge zum Bearbeiten von Bildern und Fotos", "lang": "de-DE"}
                {"id": "2", "text": "Tools to edit pictures and photos"}
                """,
            queries: """
                {"id": "q1", "text": "Bildbearbeitung", "lang": "de"}
                {"id": "q2", "text": "photo editing"}
                """,
            qrels: "q1 0 1 1\nq2 0 2 1\n"))
        #expect(corpus.items.map(\.languages) == [["de"], []])
        #expect(corpus.queries.map(\.page.lang) == ["de", nil])
        #expect {
            try LabeledCorpus(folder: try folder(docs: #"{"id": "1", "text": "x", "lang": 7}"#, queries: #"{"id": "q", "text": "x"}"#, qrels: "q 0 1 1\n"))
        } throws: { "\($0)".contains("docs.jsonl:1:") && "\($0)".contains("lang") }
    }

    @Test func aLanguageBlindRunAnalysesEverythingInTheLanguagePinned() throws {
        let corpus = try LabeledCorpus(folder: try folder(
            docs: """
                {"id": "1", "text": "Die Familie wohnt in einem Haus, und die Familie hat einen Garten.", "lang": "de"}
                {"id": "2", "text": "Ein Radweg für Familien am Fluss, mit vielen Bäumen und Bänken.", "lang": "de"}
                """,
            queries: #"{"id": "q1", "text": "Familien", "lang": "de"}"#,
            qrels: "q1 0 1 1\n"))
        var blind = Analyzer()
        blind.pinnedLanguage = "en"
        let own = try CorpusEvaluation(corpus: corpus).run("bm25", depth: 10).run.results["q1"] ?? []
        let pinned = try CorpusEvaluation(corpus: corpus, analyzer: blind).run("bm25", depth: 10).run.results["q1"] ?? []
        // German stems "Familien" and "Familie" alike, so the document saying it twice comes
        // first; analysed as English, only the exact form meets.
        #expect(own.map(\.document) == ["1", "2"], "\(own)")
        #expect(pinned.map(\.document) == ["2"], "\(pinned)")
    }
}
