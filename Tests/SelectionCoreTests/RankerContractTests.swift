import SelectionCore
import Testing

@Suite struct RankerContractTests {
    struct Identity: Ranker {
        var name: String { "identity" }
        func rank(_ candidates: [Candidate], in context: RankingContext) -> [Candidate] { candidates }
    }

    @Test func aRankerRetrievesByBM25UnlessItSaysOtherwise() {
        #expect(Identity().retrievalModel == .bm25)
        let context = RankingContext(keywords: [Keyword(term: "tea", text: "tea", weight: 1)])
        #expect(context.language == "en" && context.limit == 10 && context.seed == 0 && context.requestID == nil)
    }

    @Test func errorsNameTheRanker() {
        #expect(RankerError(ranker: "exec:/bin/x", message: "timed out").description == "ranker exec:/bin/x: timed out")
    }

    @Test func keywordsKnowPhrases() {
        #expect(Keyword(term: "trail run", text: "trail running", weight: 0.5).isPhrase)
        #expect(!Keyword(term: "trail", text: "trail", weight: 1).isPhrase)
    }
}
