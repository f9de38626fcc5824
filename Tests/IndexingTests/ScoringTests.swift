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

    @Test func queryTermsFromKeywordsWeighByHowOftenThePageSaysThem() {
        let keywords = [Keyword(term: "kettl", text: "kettle", weight: 1, frequency: 2),
                        Keyword(term: "tea", text: "tea", weight: 0.9, frequency: 4),
                        Keyword(term: "green tea", text: "green tea", weight: 0.5, frequency: 2)]
        #expect(WeightedTerm.from(keywords) == [WeightedTerm("kettl", weight: 0.5), WeightedTerm("tea", weight: 1)],
                "rarity chose them and counts in idf, not again here; phrases are left out")
    }
}
