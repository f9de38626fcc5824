import Foundation
import SelectionCore
import Testing
@testable import Indexing

/// Words that the analyzer keeps as they are (no stemming changes, no stop words).
let plainWords = ["tea", "kettl", "oolong", "green", "black", "water", "leaf", "pot", "cup", "brew",
                  "milk", "sugar", "honey", "lemon", "mint", "ginger", "jasmin", "matcha", "chai", "herb",
                  "cake", "bread", "toast", "jam", "butter", "egg", "salt", "pepper", "rice", "bean",
                  "train", "bus", "car", "bike", "boat", "plane", "road", "rail", "map", "trip",
                  "code", "test", "bug", "fix", "build", "link", "file", "disk", "port", "host"]

func randomCatalog(count: Int, generator: inout SplitMix64) -> [CatalogItem] {
    (0..<count).map { index in
        let titleLength = Int.random(in: 1...3, using: &generator)
        let bodyLength = Int.random(in: 0...30, using: &generator)
        let title = (0..<titleLength).map { _ in plainWords.randomElement(using: &generator)! }.joined(separator: " ")
        let body = (0..<bodyLength).map { _ in plainWords.randomElement(using: &generator)! }.joined(separator: " ")
        let keywords = Bool.random(using: &generator) ? [plainWords.randomElement(using: &generator)!] : []
        return CatalogItem(id: itemID(index), title: title, body: body, keywords: keywords)
    }
}

/// "item-0042": ids that sort like their numbers.
func itemID(_ index: Int) -> String {
    let digits = String(index)
    return "item-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// Pruned and exhaustive results must agree exactly: the same items in the same order with
/// bit-identical scores. On failure, both lists are shown whole.
func expectSameResults(_ pruned: [ScoredItem], _ exhaustive: [ScoredItem], _ context: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    let got = pruned.map { "\($0.document):\($0.score)" }
    let want = exhaustive.map { "\($0.document):\($0.score)" }
    #expect(got == want, "\(context)", sourceLocation: sourceLocation)
    #expect(pruned.map(\.relevance) == exhaustive.map(\.relevance), "\(context)", sourceLocation: sourceLocation)
}

/// Every way the top-k search can read the postings; small blocks (one not a multiple of four)
/// so that the test catalogs span many.
let strategies: [SearchStrategy] = [.automatic, .pruned, .blocks(items: SearchStrategy.blockItems),
                                   .blocks(items: 64), .blocks(items: 333),
                                   .markedBlocks(items: SearchStrategy.markedBlockItems), .markedBlocks(items: 64),
                                   .markedBlocks(items: 333)]

extension CatalogIndex {
    /// ``search(_:model:limit:isEligible:)`` the way `strategy` says.
    func search(_ query: [WeightedTerm], model: RetrievalModel = .bm25, limit: Int, strategy: SearchStrategy,
                isEligible: (Int) -> Bool = { _ in true }) -> [ScoredItem] {
        search(query, model: model, limit: limit, withMatchedTerms: false, strategy: strategy, isEligible: isEligible)
            .map(\.item)
    }
}

/// Both models' top-k search, each strategy, against their exhaustive scoring for one query.
func expectPrunedEqualsExhaustive(_ index: CatalogIndex, _ query: [WeightedTerm], limit: Int, _ context: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
    for model in RetrievalModel.allCases {
        let exhaustive = index.exhaustiveSearch(query, model: model, limit: limit)
        for strategy in strategies {
            expectSameResults(index.search(query, model: model, limit: limit, strategy: strategy), exhaustive,
                              "\(context) \(model) \(strategy)", sourceLocation: sourceLocation)
        }
    }
}

/// Made-up words the analyzer keeps as they are (consonants only: no stemmer suffix applies).
func skewedVocabulary(_ count: Int) -> [String] {
    let letters = Array("bcdfghjkmnpqrtvwxz")
    return (0..<count).map { number in
        var word = "z"
        var rest = number
        repeat {
            word.append(letters[rest % letters.count])
            rest /= letters.count
        } while rest > 0
        return word + "q"
    }
}

/// A rank in 0..<count, small ranks far more likely (about Zipf's law).
func skewedRank(_ count: Int, _ generator: inout SplitMix64) -> Int {
    let u = Double.random(in: 0..<1, using: &generator)
    return min(count - 1, Int(pow(Double(count), u * u)) - 1)
}

/// A word of `vocabulary` at a skewed rank.
func skewedWord(_ vocabulary: [String], _ generator: inout SplitMix64) -> String {
    vocabulary[skewedRank(vocabulary.count, &generator)]
}

/// A query of `length` skewed words, each of weight 1.
func skewedQuery(length: Int, _ vocabulary: [String], _ generator: inout SplitMix64) -> [WeightedTerm] {
    (0..<length).map { _ in WeightedTerm(skewedWord(vocabulary, &generator)) }
}

func skewedCatalog(count: Int, vocabulary: [String], generator: inout SplitMix64) -> [CatalogItem] {
    (0..<count).map { index in
        func words(_ n: Int) -> String {
            (0..<n).map { _ in skewedWord(vocabulary, &generator) }.joined(separator: " ")
        }
        return CatalogItem(id: itemID(index), title: words(Int.random(in: 1...4, using: &generator)),
                           body: words(Int.random(in: 0...60, using: &generator)))
    }
}
