import Contract
import Foundation
import SelectionCore
import SessionSignals
import Testing
import TextAnalysis
@testable import Selection

/// The lottery ranker: weighted draws, reproducible from the request, with their probabilities.
extension SelectionRulesTests {
    @Test func theLotteryIsReproducibleAndReportsProbabilities() throws {
        let items = (0..<5).map { ad("ad:\($0)", "adv\($0)", "Tea \($0)", weight: Double($0 + 1)) }
        let engine = try engine(items, ranker: try RankerRegistry.make("bm25,lottery"))
        let first = try engine.select(request("tea", count: 3))
        #expect(try engine.select(request("tea", count: 3)) == first, "the same request draws the same way")
        let probabilities = first.slots[0].items.compactMap(\.candidate.selectionProbability)
        #expect(probabilities.count == 3)
        #expect(probabilities.allSatisfy { $0 > 0 && $0 <= 1 })
        // Equal relevance: the first draw's probability is its weight over all weights (1+…+5).
        let winner = try #require(first.slots[0].items.first)
        #expect(abs(probabilities[0] - winner.candidate.item.weight / 15) < 1e-9)
        // Another request (another id) may draw differently, but always among the same items.
        var other = request("tea", count: 3)
        other.id = "another"
        #expect(Set(ids(try engine.select(other))).isSubset(of: Set(items.map(\.id))))
    }

    @Test func lotteryDrawsFollowTheWeights() {
        let candidates = (0..<3).map { index in
            Candidate(item: CatalogItem(id: "i\(index)", title: "x", weight: [1, 2, 7][index]), score: 1,
                      relevance: .init(bm25: 1, cosine: 1), matchedTerms: [], explanation: Explanation(1, "r"))
        }
        var firsts: [String: Int] = [:]
        for seed in 0..<4000 {
            let ranked = LotteryRanker().rank(candidates, in: RankingContext(keywords: [], seed: UInt64(seed)))
            firsts[ranked[0].item.id, default: 0] += 1
        }
        #expect(abs(Double(firsts["i2"] ?? 0) / 4000 - 0.7) < 0.03, "\(firsts)")
        #expect(abs(Double(firsts["i0"] ?? 0) / 4000 - 0.1) < 0.03, "\(firsts)")
    }
}
