import Foundation
import SelectionCore
import Testing
@testable import Indexing

/// Top-k search (Sources/Indexing/Search): every strategy against the exhaustive specification,
/// ties, eligibility, and the matched terms it returns.
extension ScoringTests {
    @Test func tiesBreakByItemID() throws {
        let twins = ["m", "b", "z", "a"].map { CatalogItem(id: $0, title: "same words") }
        let index = try IndexBuilder().build(twins)
        let results = index.search([WeightedTerm("word")], limit: 3)
        #expect(results.map { index.items[$0.document].id } == ["a", "b", "m"])
        let resultsCosine = index.search([WeightedTerm("word")], model: .cosine, limit: 3)
        #expect(resultsCosine.map { index.items[$0.document].id } == ["a", "b", "m"])
    }

    @Test func prunedSearchEqualsExhaustiveScoring() throws {
        var generator = SplitMix64(seed: 20261123)
        let index = try IndexBuilder().build(randomCatalog(count: 400, generator: &generator))
        for trial in 0..<300 {
            let length = Int.random(in: 1...12, using: &generator)
            let query = (0..<length).map { _ in
                WeightedTerm(plainWords.randomElement(using: &generator)!, weight: Double.random(in: 0.1...2, using: &generator))
            }
            expectPrunedEqualsExhaustive(index, query, limit: [1, 3, 10, 50][trial % 4], "trial \(trial) \(query)")
        }
    }

    @Test func matchedTermsFromTheSearchEqualThoseAskedForApart() throws {
        var generator = SplitMix64(seed: 20261202)
        let index = try IndexBuilder().build(randomCatalog(count: 300, generator: &generator))
        for trial in 0..<100 {
            let query = (0..<Int.random(in: 1...10, using: &generator)).map { _ in
                WeightedTerm(plainWords.randomElement(using: &generator)!, weight: Double.random(in: 0.1...2, using: &generator))
            }
            for model in RetrievalModel.allCases {
                let together = index.searchWithMatchedTerms(query, model: model, limit: 20)
                let results = index.search(query, model: model, limit: 20)
                #expect(together.map(\.item) == results, "trial \(trial), \(model)")
                #expect(together.map(\.matchedTerms) == index.matchedTerms(query, documents: results.map(\.document)),
                        "trial \(trial), \(model): \(query)")
            }
        }
    }

    /// A catalog with rare and very common terms and queries of up to 300 of them: the strong
    /// lists are read whole, then weak lists both walked and galloped at the candidates.
    @Test func prunedSearchEqualsExhaustiveScoringOnSkewedCatalogs() throws {
        var generator = SplitMix64(seed: 99)
        let vocabulary = skewedVocabulary(600)
        let catalog = skewedCatalog(count: 3000, vocabulary: vocabulary, generator: &generator)
        let index = try IndexBuilder().build(catalog)
        for trial in 0..<120 {
            let length = [2, 30, 300][trial % 3]
            let query = (0..<length).map { _ in
                WeightedTerm(skewedWord(vocabulary, &generator),
                             weight: trial % 2 == 0 ? 1 : Double.random(in: 0.1...3, using: &generator))
            }
            expectPrunedEqualsExhaustive(index, query, limit: [1, 10, 200][trial % 3], "trial \(trial)")
        }
    }

    @Test func prunedSearchWithEligibilityEqualsFilteredExhaustiveScoring() throws {
        var generator = SplitMix64(seed: 5)
        let vocabulary = skewedVocabulary(300)
        let index = try IndexBuilder().build(skewedCatalog(count: 2000, vocabulary: vocabulary, generator: &generator))
        for trial in 0..<60 {
            let query = skewedQuery(length: 40, vocabulary, &generator)
            let modulus = 2 + trial % 5
            let eligible: (Int) -> Bool = { $0 % modulus != 0 }
            let everything = index.exhaustiveSearch(query, limit: index.items.count)
            let expected = Array(everything.filter { eligible($0.document) }.prefix(10))
            for strategy in strategies {
                expectSameResults(index.search(query, limit: 10, strategy: strategy, isEligible: eligible), expected,
                                  "trial \(trial) \(strategy)")
            }
        }
    }

    /// Summing in blocks gives way to pruning when too few eligible items score: asked for more
    /// than the eligible matches, every strategy returns all of them, in exhaustive order, and
    /// a search after it (on the same scratch) is unaffected by what it left behind.
    @Test func blockSumsWithTooFewEligibleItemsEqualFilteredExhaustiveScoring() throws {
        var generator = SplitMix64(seed: 8)
        let vocabulary = skewedVocabulary(200)
        let index = try IndexBuilder().build(skewedCatalog(count: 1500, vocabulary: vocabulary, generator: &generator))
        for trial in 0..<30 {
            let query = skewedQuery(length: 60, vocabulary, &generator)
            let modulus = 40 + trial
            let eligible: (Int) -> Bool = { $0 % modulus == 0 }
            let everything = index.exhaustiveSearch(query, limit: index.items.count)
            let expected = everything.filter { eligible($0.document) }
            for strategy in strategies {
                let found = index.search(query, limit: expected.count + 5, strategy: strategy, isEligible: eligible)
                expectSameResults(found, expected, "trial \(trial) \(strategy)")
                expectSameResults(index.search(query, limit: 7, strategy: strategy), Array(everything.prefix(7)),
                                  "after trial \(trial) \(strategy)")
            }
        }
    }

    @Test func eligibilityFilterSkipsItems() throws {
        let index = try IndexBuilder().build(items)
        let results = index.search([WeightedTerm("tea")], limit: 10) { $0 != 0 }
        #expect(results.map(\.document) == [1])
    }

    @Test func unknownTermsAndEmptyQueriesFindNothing() throws {
        let index = try IndexBuilder().build(items)
        #expect(index.search([WeightedTerm("nothing")], limit: 5).isEmpty)
        #expect(index.search([], limit: 5).isEmpty)
        #expect(index.search([WeightedTerm("tea")], limit: 0).isEmpty)
    }
}
