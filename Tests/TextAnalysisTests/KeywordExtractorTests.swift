import SelectionCore
import Testing
@testable import TextAnalysis

/// Document frequencies given by hand.
struct FakeStatistics: TermStatistics {
    var documentCount: Int
    var frequencies: [String: Int]
    func documentFrequency(of term: String) -> Int { frequencies[term] ?? 0 }
}

@Suite struct KeywordExtractorTests {
    let analyzer = Analyzer()
    /// Every term known to one of 100 documents, except "common" which is in 90.
    struct Uniform: TermStatistics {
        var documentCount: Int { 100 }
        func documentFrequency(of term: String) -> Int { term == "common" ? 90 : 1 }
    }

    func keywords(_ fields: PageFields, declared: [String] = [], options: KeywordExtractor.Options = .init(),
                  statistics: any TermStatistics = Uniform()) -> [Keyword] {
        let scratch = AnalysisScratch()
        let analyzed = analyzer.analyze(fields, scratch: scratch)
        let declaredTerms = declared.map { analyzer.tokens(in: $0, scratch: scratch).map(\.term) }
        return KeywordExtractor(options: options).extract(from: analyzed, declared: declaredTerms, statistics: statistics)
    }

    @Test func weighsTermFrequencyByFieldAndIDF() {
        let statistics = FakeStatistics(documentCount: 9, frequencies: ["kettl": 1, "teapot": 4, "brew": 1])
        let result = keywords(.plainText("teapot brew brew", title: "kettle"), statistics: statistics)
        // kettle: title weight 3 × idf(1) ; brew: 2 body × idf(1) ; teapot: 1 × idf(4).
        let idf1 = KeywordExtractor.idf(documentFrequency: 1, documentCount: 9)
        let idf4 = KeywordExtractor.idf(documentFrequency: 4, documentCount: 9)
        #expect(result.map(\.term) == ["kettl", "brew", "teapot"])
        #expect(abs(result[1].weight - (2 * idf1) / (3 * idf1)) < 1e-12)
        #expect(abs(result[2].weight - idf4 / (3 * idf1)) < 1e-12)
        #expect(result[0].weight == 1, "the strongest keyword has weight 1")
        #expect(result[0].text == "kettle", "keywords show the page's word, not the stem")
    }

    @Test func appliesDocumentFrequencyBounds() {
        let statistics = FakeStatistics(documentCount: 100, frequencies: ["common": 80, "rare": 2])
        let result = keywords(.plainText("common rare unknown"), statistics: statistics)
        #expect(result.map(\.term) == ["rare"], "too common and unknown terms are bounded out")
    }

    @Test func maxKeywordsAndDeterminism() {
        var options = KeywordExtractor.Options()
        options.maxKeywords = 3
        let text = "delta alpha charlie bravo echo foxtrot"
        let first = keywords(.plainText(text), options: options)
        #expect(first.map(\.term) == ["alpha", "bravo", "charli"], "equal weights order by term")
        #expect(keywords(.plainText(text), options: options) == first)
    }

    @Test func declaredKeywordsCountButCannotDominate() {
        let page = PageFields.plainText("Green tea is brewed at low temperature. Green tea leaves are steamed.",
                                        title: "Brewing green tea")
        let honest = keywords(page)
        let declaredOnce = keywords(page, declared: ["temperature"])
        let index = { (list: [Keyword], term: String) in list.firstIndex { $0.term == term } ?? .max }
        #expect(index(declaredOnce, "temperatur") <= index(honest, "temperatur"), "a declaration lifts its term")
        // Stuffing: twenty declarations of unrelated words, repeated.
        let stuffing = (0..<20).map { "casino\($0 % 4) poker\($0 % 4)" }
        let stuffed = keywords(page, declared: stuffing)
        #expect(stuffed.first?.term == honest.first?.term, "the page's own top keyword stays on top")
        let declaredOnly = stuffed.filter { $0.term.hasPrefix("casino") || $0.term.hasPrefix("poker") }
        #expect(declaredOnly.count <= 6, "at most a quarter of 25 keywords come only from declarations: \(declaredOnly)")
        #expect(!declaredOnly.isEmpty, "declarations still count")
    }

    @Test func metaKeywordsAreDeclarations() {
        let html = "<meta name=keywords content='oolong, black tea'><p>oolong is partly oxidised</p>"
        let page = HTMLTextExtractor().extract(html)
        let analyzed = analyzer.analyze(page, scratch: AnalysisScratch())
        let extractor = KeywordExtractor()
        #expect(extractor.splitMetaKeywords(analyzed) == [["oolong"], ["black", "tea"]])
        let result = extractor.extract(from: analyzed, statistics: Uniform())
        #expect(result.first?.term == "oolong", "in the text and declared: the strongest")
    }

    @Test func findsPhrases() {
        let text = "machine learning is fun. machine learning needs data. we like machine learning models."
        let result = keywords(.plainText(text))
        #expect(result.contains { $0.term == "machin learn" && $0.text == "machine learning" })
        #expect(!result.contains { $0.term == "learn need" }, "a phrase must occur at least twice")
    }

    @Test func phrasesDoNotCrossStopWordsOrBlocks() {
        let result = keywords(HTMLTextExtractor().extract("<p>tea</p><p>pot</p><p>tea</p><p>pot</p> tea of pot tea of pot"))
        #expect(!result.contains { $0.isPhrase })
    }

    @Test func shortNumbersAreNotKeywords() {
        let result = keywords(.plainText("1. Introduction 2. Installation in 2024"))
        #expect(result.map(\.term).sorted() == ["2024", "instal", "introduct"])
    }

    @Test func tokensEditedByHandAreNumberedAgain() {
        let text = "machine learning is fun. machine learning needs data. we like machine learning models."
        var analyzed = analyzer.analyze(.plainText(text), scratch: AnalysisScratch())
        let extractor = KeywordExtractor()
        let before = extractor.extract(from: analyzed, statistics: Uniform())
        // Appending tokens by hand leaves the analyzer's numbering behind; the extractor must
        // count the new tokens all the same.
        let extra = analyzed.tokens.filter { $0.term == "data" }.map {
            Token(term: "data", byteRange: $0.byteRange, position: $0.position + 1000, field: .title)
        }
        analyzed.tokens += extra
        #expect(!analyzed.termIndexesAreCurrent)
        let after = extractor.extract(from: analyzed, statistics: Uniform())
        #expect(before.first?.term != "data", "\(before)")
        #expect(after.first?.term == "data", "a title occurrence outweighs the rest: \(after)")
        #expect(after.contains { $0.term == "machin learn" }, "\(after)")
    }

    @Test func surfacesSetByHandAreShown() {
        var analyzed = analyzer.analyze(.plainText("Running shoes, running trails, running water"), scratch: AnalysisScratch())
        let extractor = KeywordExtractor()
        #expect(extractor.extract(from: analyzed, statistics: Uniform()).first { $0.term == "run" }?.text == "running")
        analyzed.surfaces["run"] = "Run!"
        #expect(analyzed.surfaces["shoe"] == "shoes", "the others stay: \(analyzed.surfaces)")
        #expect(extractor.extract(from: analyzed, statistics: Uniform()).first { $0.term == "run" }?.text == "Run!")
    }
}

/// Document frequencies remembered by the scratch between pages must be the statistics' own,
/// for each statistics apart, and looked up once per term.
@Suite struct RememberedDocumentFrequencyTests {
    /// Counts its look-ups; its frequencies depend on `offset`, so two of them disagree.
    final class CountingStatistics: TermStatistics, @unchecked Sendable {
        let cacheKey: UInt64? = StatisticsSerial.next()
        let offset: Int
        var lookups = 0
        init(offset: Int) { self.offset = offset }
        var documentCount: Int { 1000 }
        func documentFrequency(of term: String) -> Int {
            lookups += 1
            return (term.utf8.count * 37 + offset) % 400 + 1
        }
    }

    let analyzer = Analyzer()
    let pages = [
        "Loose leaf green tea from Japan, brewed in a clay teapot; green tea keeps its colour.",
        "A clay teapot for green tea and black tea, with a strainer for loose leaf tea.",
        "Trail running shoes with a grippy sole for wet rock and loose gravel trails.",
    ]

    func extract(_ text: String, _ statistics: any TermStatistics, scratch: AnalysisScratch, remember: Bool) -> [Keyword] {
        let analyzed = analyzer.analyze(.plainText(text), scratch: scratch)
        return KeywordExtractor().extract(from: analyzed, statistics: statistics, scratch: remember ? scratch : nil)
    }

    @Test func rememberedFrequenciesGiveTheSameKeywords() {
        let first = CountingStatistics(offset: 0), second = CountingStatistics(offset: 150)
        let remembering = AnalysisScratch(), plain = AnalysisScratch()
        // Alternate the statistics on one scratch: each must get its own frequencies.
        for round in 0..<2 {
            for page in pages {
                for statistics in [first, second] {
                    let expected = extract(page, statistics, scratch: plain, remember: false)
                    let got = extract(page, statistics, scratch: remembering, remember: true)
                    #expect(got == expected, "round \(round), offset \(statistics.offset): \(page)")
                }
            }
        }
        #expect(extract(pages[0], first, scratch: plain, remember: false)
                != extract(pages[0], second, scratch: plain, remember: false), "the two statistics must disagree")
    }

    @Test func aTermIsLookedUpOncePerStatistics() {
        let statistics = CountingStatistics(offset: 0)
        let scratch = AnalysisScratch()
        _ = extract(pages[0], statistics, scratch: scratch, remember: true)
        let afterFirst = statistics.lookups
        _ = extract(pages[0], statistics, scratch: scratch, remember: true)
        #expect(afterFirst > 0)
        #expect(statistics.lookups == afterFirst, "the same page again needs no look-up")
    }
}
