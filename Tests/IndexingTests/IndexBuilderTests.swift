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
}
