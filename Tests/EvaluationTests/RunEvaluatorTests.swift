import Foundation
import Testing
@testable import Evaluation

/// The fixtures folder beside this file (made by Fixtures/make_fixtures.py with pytrec_eval).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func fixture(_ name: String) throws -> String {
    try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
}

/// Expected values: (measure, query or "all" or "all-c") → value.
func expectedValues(_ name: String) throws -> [String: Double] {
    var values: [String: Double] = [:]
    for line in try fixture(name).split(separator: "\n") {
        let parts = line.split(separator: "\t")
        values["\(parts[0])|\(parts[1])"] = Double(parts[2])!
    }
    return values
}

@Suite struct RunEvaluatorTests {
    func compare(run runName: String, qrels qrelsName: String, expected expectedName: String, level: Int = 1,
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let qrels = try TRECQrels(parsing: try fixture(qrelsName))
        let run = try TRECRun(parsing: try fixture(runName))
        let expected = try expectedValues(expectedName)
        let evaluation = try RunEvaluator(relevanceLevel: level).evaluate(run, qrels: qrels)
        let complete = try RunEvaluator(relevanceLevel: level, averageOverAllQueries: true).evaluate(run, qrels: qrels)
        var compared = 0
        for (key, value) in expected {
            let parts = key.split(separator: "|").map(String.init)
            let actual: Double?
            switch parts[1] {
            case "all": actual = evaluation.value(parts[0])
            case "all-c": actual = complete.value(parts[0])
            default: actual = evaluation.value(parts[0], query: parts[1])
            }
            let found = try #require(actual, "\(key) missing", sourceLocation: sourceLocation)
            #expect(abs(found - value) < 1e-4, "\(key): \(found) vs trec_eval \(value)", sourceLocation: sourceLocation)
            compared += 1
        }
        #expect(compared > 100, sourceLocation: sourceLocation)
        #expect(Set(evaluation.queries) == Set(expected.keys.compactMap { key -> String? in
            let query = key.split(separator: "|")[1]
            return query.hasPrefix("all") ? nil : String(query)
        }), "the same queries are evaluated", sourceLocation: sourceLocation)
    }

    @Test func matchesTrecEvalOnHandMadeCases() throws {
        try compare(run: "small.run", qrels: "small.qrels", expected: "small.expected")
    }

    @Test func matchesTrecEvalWithRelevanceLevelTwo() throws {
        try compare(run: "small.run", qrels: "small.qrels", expected: "small-l2.expected", level: 2)
    }

    @Test func matchesTrecEvalOnARandomCollection() throws {
        try compare(run: "random.run", qrels: "random.qrels", expected: "random.expected")
    }

    @Test func tiesBreakOnDocumentIDDescendingAndTheRankColumnIsIgnored() throws {
        let qrels = try TRECQrels(parsing: "q 0 a 1\n")
        // Equal scores: trec_eval puts "b" before "a" (docno descending), whatever the ranks say.
        let run = try TRECRun(parsing: "q Q0 a 1 1.0 t\nq Q0 b 2 1.0 t\n")
        let evaluation = try RunEvaluator().evaluate(run, qrels: qrels)
        #expect(evaluation.value("recip_rank") == 0.5)
    }

    @Test func duplicateDocumentsAreAnError() throws {
        let qrels = try TRECQrels(parsing: "q1 0 d1 1\n")
        let run = try TRECRun(parsing: try fixture("duplicate.run"))
        #expect(throws: EvaluationError.duplicateDocument(query: "q1", document: "d1")) {
            try RunEvaluator().evaluate(run, qrels: qrels)
        }
    }

    @Test func malformedFilesNameTheLine() {
        #expect(throws: TRECFormatError(source: "qrels", line: 2, message: "expected 'qid iter docno rel' with an integer rel")) {
            try TRECQrels(parsing: "q 0 d 1\nq 0 d\n")
        }
        #expect(throws: TRECFormatError.self) { try TRECRun(parsing: "q Q0 d one 1.0 t\n") }
        #expect(throws: TRECFormatError.self) { try TRECRun(parsing: "q Q0 d 1 nan t\n") }
        #expect(throws: TRECFormatError.self) { try TRECQrels(parsing: "q 0 d 1\nq 0 d 2\n") }
    }

    @Test func noSharedQueryIsAnError() throws {
        #expect(throws: EvaluationError.noQueries) {
            try RunEvaluator().evaluate(try TRECRun(parsing: "x Q0 d 1 1 t\n"), qrels: try TRECQrels(parsing: "q 0 d 1\n"))
        }
    }

    @Test func trecOutputLooksLikeTrecEval() throws {
        let evaluation = try RunEvaluator(measures: [NumberRetrieved(), AveragePrecision(), GeometricMeanAveragePrecision()])
            .evaluate(try TRECRun(parsing: "q Q0 a 1 2 tag\nq Q0 b 2 1 tag\n"), qrels: try TRECQrels(parsing: "q 0 b 1\n"))
        #expect(evaluation.trecText(perQuery: true) == """
            num_ret               \tq\t2
            map                   \tq\t0.5000
            runid                 \tall\ttag
            num_ret               \tall\t2
            map                   \tall\t0.5000
            gm_map                \tall\t0.5000

            """)
    }

    @Test func namedMeasuresIncludeOtherCutoffs() {
        #expect(StandardMeasures.named("P_7")?.name == "P_7")
        #expect(StandardMeasures.named("ndcg_cut_3")?.name == "ndcg_cut_3")
        #expect(StandardMeasures.named("map")?.name == "map")
        #expect(StandardMeasures.named("P_0") == nil)
        #expect(StandardMeasures.named("nonsense") == nil)
    }
}
