import Foundation
import SelectionCore
import Testing
import TextAnalysis
@testable import Selection

/// The engine reads each page in its own language: English known from its stop words without
/// CLD2, other languages from CLD2, a contradicted declaration overridden, and the response says which.
@Suite struct PageLanguageSelectionTests {
    let engine = try! SelectionEngine(catalog: [
        CatalogItem(id: "bike", title: "Fahrradweg am Fluss", body: "Radweg Fahrrad Fluss Hafen", languages: ["de"]),
        CatalogItem(id: "tea", title: "Green tea", body: "Loose leaf green tea"),
    ])

    static let german = "Die Stadt hat im Sommer einen neuen Radweg am Fluss eröffnet. Der Weg führt von der Altstadt bis zum Hafen und ist für Familien mit Kindern gedacht. Die Bürger hatten sich seit Jahren eine sichere Verbindung gewünscht."
    static let english = "The city opened a new cycle path along the river this summer. It runs from the old town to the harbour and is meant for families with children, who had asked for a safe route for years."

    func read(_ text: String, lang: String? = nil) -> SelectionEngine.PageReading {
        engine.read(.init(text: text, lang: lang))
    }

    @Test func englishIsKnownByItsStopWordsAndOtherLanguagesByCLD2() {
        let english = read(Self.english)
        #expect(english.language == PageLanguage(code: "en", source: .detected), "\(english.language)")
        #expect(english.analyzed.stopWordShare >= 0.25)
        let german = read(Self.german)
        #expect(german.language.code == "de" && german.language.source == .detected && (german.language.confidence ?? 0) > 0.5,
                "\(german.language)")
        #expect(german.analyzed.language == "de")
        #expect(!german.keywords.map(\.text).contains("die") && !german.keywords.map(\.text).contains("der"), "\(german.keywords.map(\.text))")
    }

    @Test func aContradictedDeclarationIsOverriddenAndSaid() throws {
        let reading = read(Self.german, lang: "en")
        #expect(reading.language.code == "de" && reading.language.contradicted == "en", "\(reading.language)")
        #expect(read(Self.english, lang: "en").language == PageLanguage(code: "en", source: .declared))
        let response = try engine.select(.init(page: .init(text: Self.german), slots: [.init(id: "s", count: 1)]))
        #expect(response.language?.code == "de")
        #expect(response.privacy.used.contains("language detected from the page text"))
        #expect(response.slots[0].items.first?.candidate.item.id == "bike", "a German page meets the German item")
    }

    @Test func categoriesOfAPageInALanguageTheLexiconsDoNotReadAreNotComputedAndSaidSo() throws {
        var classified = engine
        classified.classifier = try CategoryClassifier(folder: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Catalog"))
        let german = try classified.select(.init(page: .init(text: Self.german), slots: [.init(id: "s", count: 1)]))
        #expect(german.categoriesNote == "categories and sensitive topics are not computed for de: the classifier's lexicons are en",
                "\(String(describing: german.categoriesNote))")
        #expect(german.categories.isEmpty && german.sensitive == nil)
        let english = try classified.select(.init(page: .init(text: Self.english), slots: [.init(id: "s", count: 1)]))
        #expect(english.categoriesNote == nil && english.sensitive == false, "English is classified")
    }
}
