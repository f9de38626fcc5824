import Foundation
import SelectionCore
import Testing
import TextAnalysis
@testable import Indexing

/// What the index builder makes of an item's text: the terms of its own language, declared or read.
@Suite struct IndexBuilderTests {
    static let german = "Die Stadt hat im Sommer einen neuen Radweg am Fluss eröffnet. Der Weg führt von der Altstadt bis zum Hafen und ist für Familien mit Kindern gedacht."
    static let english = "The city opened a new cycle path along the river this summer. It runs from the old town to the harbour and is meant for families with children."
    static let spanish = "Controlador de movimiento para máquinas y robots. Este paquete contiene la documentación en español de las herramientas de fresado y torneado."

    func terms(_ item: CatalogItem, builder: IndexBuilder = IndexBuilder()) -> [String] {
        builder.termFrequencies(of: item, scratch: AnalysisScratch()).map(\.0)
    }

    @Test func anItemThatDeclaresNoLanguageIsAnalysedInTheOneItsTextReadsAs() {
        for (text, language) in [(Self.german, "de"), (Self.english, "en"), (Self.spanish, "es")] {
            let undeclared = terms(CatalogItem(id: "a", title: "", body: text))
            let declared = terms(CatalogItem(id: "a", title: "", body: text, languages: [language]))
            #expect(undeclared == declared, "\(language): \(undeclared) against \(declared)")
        }
        let german = terms(CatalogItem(id: "a", title: "", body: Self.german))
        #expect(!german.contains("die") && !german.contains("der") && german.contains("famili"), "\(german)")
    }

    @Test func aDeclaredLanguageStandsEvenWhenTheTextReadsOtherwise() {
        let asEnglish = terms(CatalogItem(id: "a", title: "", body: Self.german, languages: ["en"]))
        #expect(asEnglish.contains("die") && asEnglish.contains("familien"), "\(asEnglish)")
    }

    @Test func aPinnedLanguageAnalysesEveryItemInIt() {
        var analyzer = Analyzer()
        analyzer.pinnedLanguage = "en"
        let builder = IndexBuilder(analyzer: analyzer)
        let pinned = terms(CatalogItem(id: "a", title: "", body: Self.german, languages: ["de"]), builder: builder)
        #expect(pinned == terms(CatalogItem(id: "a", title: "", body: Self.german, languages: ["en"])), "\(pinned)")
    }

    @Test func shortTextStaysInTheDefaultLanguage() {
        let short = terms(CatalogItem(id: "a", title: "Radweg", body: "Fahrräder"))
        #expect(short == terms(CatalogItem(id: "a", title: "Radweg", body: "Fahrräder", languages: ["en"])), "\(short)")
    }

    @Test func itemsCountedAcrossARestartOfTheWordTableKeepTheirOwnTerms() throws {
        // 2,100 items of 49 made-up words each (44 in the title, 5 in the body): the scratch's
        // word table (100,000 words) fills after item 2,040's title and starts again at its body,
        // so that item's title terms were numbered in a table that is gone.
        var generator = SplitMix64(seed: 9)
        func words(_ count: Int) -> String {
            (0..<count).map { _ in String((0..<9).map { _ in Character(Unicode.Scalar(UInt8(0x61 + generator.next() % 26))) }) }
                .joined(separator: " ")
        }
        let items = (0..<2_100).map { index in
            CatalogItem(id: String(format: "i%05d", index), title: words(44), body: words(5), languages: ["en"])
        }
        let builder = IndexBuilder()
        let scratch = AnalysisScratch()
        let split = items.filter { !builder.countTerms(of: $0, language: "en", scratch: scratch) { _, _ in }.oneTable }
        #expect(split.map(\.id) == ["i02040"])
        let index = try builder.build(items, threads: 1)
        var expected: [String: Int] = [:]
        for item in items {
            for (term, _) in builder.termFrequencies(of: item, scratch: AnalysisScratch()) { expected[term, default: 0] += 1 }
        }
        #expect(index.postingCount == expected.values.reduce(0, +))
        let wrong = expected.filter { index.documentFrequency(of: $0.key) != $0.value }
        #expect(wrong.isEmpty, "\(wrong.count) terms with other document frequencies, e.g. \(Array(wrong.prefix(3)))")
    }
}
