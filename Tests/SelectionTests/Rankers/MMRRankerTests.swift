import Contract
import Foundation
import SelectionCore
import SessionSignals
import Testing
import TextAnalysis
@testable import Selection

/// Maximal marginal relevance: near-duplicates spread apart.
extension SelectionRulesTests {
    @Test func mmrSpreadsNearDuplicatesApart() throws {
        let items = [
            ad("ad:tea-a", "A", "Green tea leaves", keywords: ["green tea"]),
            ad("ad:tea-b", "B", "Green tea leaves too", keywords: ["green tea"]),
            ad("ad:pot", "C", "Teapot", keywords: ["teapot"]),
        ]
        let plain = try engine(items).select(request("green tea leaves in a teapot", count: 3))
        let diverse = try engine(items, ranker: try RankerRegistry.make("bm25,mmr:0.3")).select(request("green tea leaves in a teapot", count: 3))
        #expect(Set(ids(plain)) == Set(ids(diverse)))
        #expect(ids(plain)[0...1].allSatisfy { $0.hasPrefix("ad:tea") })
        #expect(ids(diverse)[1] == "ad:pot", "after one green-tea ad, the teapot beats the near-duplicate: \(ids(diverse))")
    }
}
