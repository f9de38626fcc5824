import Foundation
import SelectionCore
import Testing
@testable import Selection

/// The contract every ranker keeps: a reordering without duplicates or inventions, the same
/// output for the same input, explanations whose root is the score, and nothing from nothing.
func verifyRankerConformance(_ ranker: any Ranker, _ candidates: [Candidate], allowsDropping: Bool = false,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
    let context = RankingContext(requestID: "r", keywords: [Keyword(term: "tea", text: "tea", weight: 1)], limit: 3)
    let ranked = try ranker.rank(candidates, in: context)
    let ids = ranked.map(\.item.id)
    #expect(Set(ids).count == ids.count, "no duplicates: \(ids)", sourceLocation: sourceLocation)
    #expect(Set(ids).isSubset(of: candidates.map(\.item.id)), "no inventions: \(ids)", sourceLocation: sourceLocation)
    if !allowsDropping { #expect(ids.count == candidates.count, "a permutation: \(ids)", sourceLocation: sourceLocation) }
    #expect(try ranker.rank(candidates, in: context).map(\.item.id) == ids, "deterministic", sourceLocation: sourceLocation)
    for candidate in ranked {
        #expect(candidate.explanation.value == candidate.score, "root explains the score", sourceLocation: sourceLocation)
    }
    #expect(try ranker.rank([], in: context).isEmpty, sourceLocation: sourceLocation)
}

func candidate(_ id: String, bm25: Double, cosine: Double, priority: Int = 5, weight: Double = 1) -> Candidate {
    Candidate(item: CatalogItem(id: id, title: id, priority: priority, weight: weight), score: bm25,
              relevance: RelevanceScores(bm25: bm25, cosine: cosine), matchedTerms: [],
              explanation: Explanation(bm25, "retrieval"))
}

let sampleCandidates = [
    candidate("a", bm25: 3, cosine: 0.2, priority: 1),
    candidate("b", bm25: 2, cosine: 0.9, priority: 10, weight: 3),
    candidate("c", bm25: 2, cosine: 0.5, priority: 5),
    candidate("d", bm25: 1, cosine: 0.9, priority: 0),
]

@Suite struct RankerTests {
    @Test func builtInsConform() throws {
        for name in ["bm25", "tfidf", "priority", "priority:0.9", "bm25,priority", "tfidf,priority:0"] {
            try verifyRankerConformance(try RankerRegistry.make(name), sampleCandidates)
        }
    }

    @Test func bm25AndTFIDFOrderByTheirScoresThenID() throws {
        let context = RankingContext(keywords: [])
        #expect(BM25Ranker().rank(sampleCandidates, in: context).map(\.item.id) == ["a", "b", "c", "d"])
        #expect(TFIDFRanker().rank(sampleCandidates, in: context).map(\.item.id) == ["b", "d", "c", "a"])
        #expect(TFIDFRanker().retrievalModel == .cosine)
    }

    @Test func priorityBlendsRelevanceWithPriorityAndWeight() throws {
        let ranked = PriorityRanker(blend: 0.5).rank(sampleCandidates, in: RankingContext(keywords: []))
        // b: 0.5 · 2/3 + 0.5 · 1.0 · 1.0 = 0.8333…; a: 0.5 · 1 + 0.5 · 0.1 · 1/3 = 0.5166…
        #expect(ranked.map(\.item.id) == ["b", "a", "c", "d"])
        #expect(abs(ranked[0].score - (0.5 * 2 / 3 + 0.5)) < 1e-12)
        #expect(abs(ranked[1].score - (0.5 + 0.5 * 0.1 / 3)) < 1e-12)
        #expect(PriorityRanker(blend: 0).rank(sampleCandidates, in: RankingContext(keywords: [])).map(\.item.id)
                == ["a", "b", "c", "d"], "blend 0 keeps the relevance order")
    }

    @Test func chainsApplyInOrderAndNameThemselves() throws {
        let chain = try RankerRegistry.make(["tfidf", "priority:0.5"])
        #expect(chain.name == "tfidf,priority:0.5")
        #expect(chain.retrievalModel == .cosine)
        let ranked = try chain.rank(sampleCandidates, in: RankingContext(keywords: []))
        #expect(ranked[0].explanation.details.contains { $0.details.first?.description.hasPrefix("tfidf") == true })
    }

    @Test func unknownRankersAreRefused() {
        #expect(throws: RankerError.self) { try RankerRegistry.make("random") }
        #expect(throws: RankerError.self) { try RankerRegistry.make("priority:2") }
        #expect(throws: RankerError.self) { try RankerRegistry.make("bm25,,tfidf") }
        #expect(throws: RankerError.self) { try RankerRegistry.make("exec:/nonexistent/ranker") }
    }
}

@Suite struct ExternalProcessRankerTests {
    func script(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ctxsel-ranker-\(UUID().uuidString).sh").path
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    let context = RankingContext(requestID: "r1", keywords: [], limit: 2)

    @Test func aWellBehavedProcessRanks() throws {
        let path = try script(#"while read line; do echo '{"ranking":[{"id":"c","score":9},{"id":"a","score":1.5}]}'; done"#)
        let ranker = try ExternalProcessRanker(executable: path)
        try verifyRankerConformance(ranker, sampleCandidates, allowsDropping: true)
        let ranked = try ranker.rank(sampleCandidates, in: context)
        #expect(ranked.map(\.item.id) == ["c", "a"])
        #expect(ranked.map(\.score) == [9, 1.5])
        #expect(ranked[0].relevance == sampleCandidates[2].relevance)
    }

    @Test func receivesTheCandidates() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-ranker-\(UUID().uuidString).log").path
        let path = try script("while read line; do echo \"$line\" >> \(log); echo '{\"ranking\":[]}'; done")
        _ = try ExternalProcessRanker(executable: path).rank(sampleCandidates, in: context)
        let seen = try JSONParser.parse(try String(contentsOfFile: log, encoding: .utf8))
        #expect(seen["request_id"] == .string("r1"))
        guard case .array(let candidates)? = seen["candidates"] else { Issue.record("no candidates"); return }
        #expect(candidates.count == 4)
        #expect(candidates.first?["id"] == .string("a"))
    }

    @Test(arguments: [
        ("read line; sleep 5", "no answer within"),
        ("read line; echo 'not json'", "not JSON"),
        (#"read line; echo '{"ranking":[{"id":"zzz","score":1}]}'"#, "not a candidate"),
        (#"read line; echo '{"ranking":[{"id":"a","score":1},{"id":"a","score":2}]}'"#, "repeats"),
        (#"read line; echo '{"order":[]}'"#, "\"ranking\" array"),
        ("exit 3", "exited or closed"),
    ])
    func misbehaviourIsAClearError(body: String, message: String) throws {
        let ranker = try ExternalProcessRanker(executable: try script(body), timeout: 0.5)
        do {
            _ = try ranker.rank(sampleCandidates, in: context)
            Issue.record("a misbehaving ranker must fail the request")
        } catch let error as RankerError {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func restartsAfterAFailure() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-marker-\(UUID().uuidString)").path
        // The first process dies without answering; the next one behaves.
        let path = try script("""
            if [ ! -f \(marker) ]; then touch \(marker); exit 1; fi
            while read line; do echo '{"ranking":[{"id":"b","score":1}]}'; done
            """)
        let ranker = try ExternalProcessRanker(executable: path, timeout: 2)
        #expect(throws: RankerError.self) { try ranker.rank(sampleCandidates, in: context) }
        #expect(try ranker.rank(sampleCandidates, in: context).map(\.item.id) == ["b"])
    }
}
