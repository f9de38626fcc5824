import Foundation
import SelectionCore
import Testing
@testable import Indexing

@Suite struct ScoringTests {
    /// Three items whose weighted term frequencies are easy to follow (title ×2, body ×1).
    let items = [
        CatalogItem(id: "a", title: "tea", body: "green tea"),          // tea 3, green 1: length 4
        CatalogItem(id: "b", title: "coffee", body: "black coffee tea"), // coffe 3, black 1, tea 1: length 5
        CatalogItem(id: "c", title: "water"),                            // water 2: length 2
    ]

    @Test func bm25MatchesHandComputedValues() throws {
        let index = try IndexBuilder().build(items)
        #expect(index.averageDocumentLength == 11.0 / 3.0)
        let results = index.search([WeightedTerm("tea")], limit: 10)
        let idf = log(1 + (3.0 - 2 + 0.5) / (2 + 0.5))                 // ln 1.6
        let normA = 1 - 0.75 + 0.75 * 4 / (11.0 / 3)
        let normB = 1 - 0.75 + 0.75 * 5 / (11.0 / 3)
        // Each posting's tf part (its impact) is stored as a Float.
        let scoreA = idf * Double(Float(3 * 2.2 / (3 + 1.2 * normA)))
        let scoreB = idf * Double(Float(1 * 2.2 / (1 + 1.2 * normB)))
        #expect(results.map(\.document) == [0, 1])
        #expect(abs(results[0].score - scoreA) < 1e-12, "\(results[0].score) vs \(scoreA)")
        #expect(abs(results[1].score - scoreB) < 1e-12, "\(results[1].score) vs \(scoreB)")
        // And within a Float's precision of the exact formula.
        #expect(abs(results[0].score - idf * 3 * 2.2 / (3 + 1.2 * normA)) < 1e-6 * scoreA)
    }

    @Test func cosineMatchesHandComputedValues() throws {
        let index = try IndexBuilder().build(items)
        let results = index.search([WeightedTerm("green"), WeightedTerm("tea")], model: .cosine, limit: 10)
        let idfTea = log(4.0 / 3) + 1, idfGreen = log(4.0 / 2) + 1, idfBlack = idfGreen, idfCoffee = idfGreen
        let query = [idfGreen, idfTea]
        let queryNorm = (query[0] * query[0] + query[1] * query[1]).squareRoot()
        let a = [idfGreen * 1, idfTea * (1 + log(3.0))]                 // green f=1, tea f=3
        let aNorm = (a[0] * a[0] + a[1] * a[1]).squareRoot()
        let expectedA = (query[0] * a[0] + query[1] * a[1]) / (queryNorm * aNorm)
        let b = [idfCoffee * (1 + log(3.0)), idfBlack, idfTea]
        let bNorm = (b[0] * b[0] + b[1] * b[1] + b[2] * b[2]).squareRoot()
        let expectedB = query[1] * idfTea / (queryNorm * bNorm)
        #expect(results.map(\.document) == [0, 1])
        #expect(abs(results[0].score - expectedA) < 1e-6)
        #expect(abs(results[1].score - expectedB) < 1e-6)
        #expect(results[0].score <= 1 + 1e-9)
    }

    @Test func idfIsNeverNegative() {
        #expect(BM25.idf(documentFrequency: 100, documentCount: 100) > 0)
        #expect(TFIDF.idf(documentFrequency: 100, documentCount: 100) == 1)
    }

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

    @Test func explanationAddsUpToTheScore() throws {
        let index = try IndexBuilder().build(items)
        let query = [WeightedTerm("green", weight: 0.5), WeightedTerm("tea")]
        for model in RetrievalModel.allCases {
            let top = try #require(index.search(query, model: model, limit: 1).first)
            let (explanation, matched) = index.explain(query, document: top.document, model: model)
            #expect(abs(explanation.value - top.score) < 1e-9)
            #expect(abs(explanation.details.reduce(0) { $0 + $1.value } - explanation.value) < 1e-9)
            #expect(Set(matched.map(\.term)) == ["green", "tea"])
            #expect(explanation.details.first?.description.contains("weight(tea)") == true, "strongest query term first")
        }
    }

    @Test func duplicateIDsAreRefused() {
        #expect(throws: CatalogError.duplicateID("a")) {
            try IndexBuilder().build([CatalogItem(id: "a", title: "x"), CatalogItem(id: "a", title: "y")])
        }
    }

    @Test func parallelBuildEqualsSerialBuild() throws {
        var generator = SplitMix64(seed: 7)
        let catalog = randomCatalog(count: 1000, generator: &generator)
        let serial = try IndexBuilder().build(catalog, threads: 1)
        let parallel = try IndexBuilder().build(catalog, threads: 4)
        #expect(try IndexSnapshot.data(of: serial) == IndexSnapshot.data(of: parallel))
    }
}
