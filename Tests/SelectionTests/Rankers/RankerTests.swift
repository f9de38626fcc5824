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
        for name in ["bm25", "tfidf", "priority", "priority:0.9", "bm25,priority", "tfidf,priority:0",
                     "mmr", "mmr:0.3", "bm25,mmr:0.7", "lottery", "bm25,priority,lottery"] {
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
