import Contract
import Foundation
import SelectionCore
import SessionSignals
import Testing
import TextAnalysis
@testable import Selection
import WireFormat

/// The shipped taxonomy and lexicons (Catalog/).
let catalogFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Catalog")

func shippedClassifier() throws -> CategoryClassifier {
    try CategoryClassifier(folder: catalogFolder)
}

@Suite struct CategoryClassifierTests {
    let classifier: CategoryClassifier

    init() throws { classifier = try shippedClassifier() }

    func classify(_ text: String, title: String? = nil) -> [CategoryClassifier.Assignment] {
        classifier.classify(Analyzer().analyze(.plainText(text, title: title), scratch: AnalysisScratch()))
    }

    @Test func taxonomyMarksTheSensitiveSubtreeAndSCDRows() {
        let taxonomy = classifier.taxonomy
        #expect(taxonomy.categories.count == 704)
        #expect(taxonomy.isSensitive("v9i3On"))
        #expect(taxonomy.isSensitive("8FD8nI"), "Terrorism, under Sensitive Topics")
        #expect(taxonomy.isSensitive("286"), "Medical Health is flagged SCD")
        #expect(taxonomy.isSensitive("459"), "Christianity is flagged SCD")
        #expect(!taxonomy.isSensitive("631"), "Programming Languages is not sensitive")
        #expect(taxonomy.name(of: "216") == "Cooking")
    }

    func isSensitive(_ assignments: [CategoryClassifier.Assignment]) -> Bool { assignments.contains(where: \.isSensitive) }

    // One page of each kind, written for these tests (none is from the evaluation pages).

    @Test func aNewsReportOfWarIsSensitive() {
        let news = classify("""
            Artillery shelled the city overnight and soldiers fought street by street; the army said forty \
            civilians were killed and more than a hundred wounded. Troops of both sides reported casualties, \
            and the government declared a state of war after the invasion.
            """, title: "Dozens killed as fighting spreads")
        #expect(isSensitive(news), "\(news)")
        #expect(news.contains { $0.id == "I4GWl6" }, "Death, Injury, or Military Conflict: \(news)")
    }

    @Test func aChapterOfScriptureIsSensitiveThoughItNeverNamesAReligion() {
        let chapter = classify("""
            And the LORD spake unto Moses, saying, Speak unto the children of Israel, that they bring me an \
            offering. And Aaron the priest shall offer the sacrifice upon the altar before the tabernacle, and \
            the people shall worship and pray, and the prophet blessed them in the name of God.
            """)
        #expect(isSensitive(chapter), "\(chapter)")
        #expect(chapter.contains { ["453", "459"].contains($0.id) }, "\(chapter)")
    }

    @Test func aHealthPageIsSensitive() {
        let health = classify("Type 2 diabetes is a chronic disease. Patients manage blood sugar with insulin and medication, and see a physician for diagnosis.",
                              title: "Living with diabetes")
        #expect(isSensitive(health), "\(health)")
        #expect(health.contains { ["286", "287", "317"].contains($0.id) }, "\(health)")
    }

    @Test func databaseDocumentationIsTechnologyNotParenting() {
        let page = classify("""
            A foreign key constraint links a child table to a parent table: each row of the child table must \
            reference an existing row of the parent table. The database engine checks the constraint when a \
            row is inserted, updated or deleted, and the SQL statement fails otherwise. Create an index on the \
            child key column so that the query planner can look up the parent key quickly.
            """, title: "Foreign key constraints")
        #expect(!isSensitive(page), "\(page)")
        #expect(!page.contains { $0.id == "197" }, "Parenting Children Aged 4-11: \(page)")
        let tier1 = page.first.map { id -> String in
            var current = id.id
            while let parent = classifier.taxonomy.categories[current]?.parent { current = parent }
            return current
        }
        #expect(tier1 == "596", "Technology & Computing first: \(page)")
    }

    @Test func anEncyclopediaArticleOnPhysicsIsNotSensitive() {
        let physics = classify("""
            The reflectivity of a surface is the fraction of incident light it reflects. Fresh snow reflects \
            most sunlight, while dark ocean water absorbs most of it; the planet's average reflectivity sets how \
            much solar energy it keeps, and the measurement is made by satellites across the visible spectrum.
            """, title: "Reflectivity")
        #expect(!isSensitive(physics), "\(physics)")
    }

    @Test func everyCategoryCarriesAProbabilityAndItsEvidence() throws {
        let page = classify("Compare the rifle and the handgun; ammunition prices for each caliber at the gun shop, and firearm safety.",
                            title: "Firearms guide")
        let arms = try #require(page.first { $0.id == "avbNf2" }, "\(page)")
        #expect((0...1).contains(arms.score))
        #expect(arms.evidence.contains { $0.text == "ammunition" && $0.weight > 0 }, "\(arms.evidence)")
        #expect(arms.evidence == arms.evidence.sorted { $0.weight > $1.weight || ($0.weight == $1.weight && $0.text < $1.text) })
    }

    @Test func theSensitiveThresholdIsTheDeployersSetting() {
        let page = Analyzer().analyze(.plainText("A short note that mentions a hospital once, among gardening tips about roses and tulips.",
                                                 title: "Garden notes"), scratch: AnalysisScratch())
        let strongest = classifier.score(page).filter { classifier.taxonomy.isSensitive($0.id) }.map(\.probability).max() ?? 0
        var strict = classifier
        strict.calibration.sensitiveThreshold = min(1, strongest + 0.01)
        #expect(!isSensitive(strict.classify(page)))
        var lenient = classifier
        lenient.calibration.sensitiveThreshold = max(0, strongest - 0.01)
        #expect(isSensitive(lenient.classify(page)) == (strongest > 0.01), "strongest sensitive probability \(strongest)")
    }

    @Test func oneStrayWordInALongPageIsNotEnough() {
        let long = String(repeating: "The interpreter reads each module and function of the program. ", count: 60)
            + "A virus infection can be a medical disease."
        let longIsSensitive = classify(long, title: "Modules").contains { $0.isSensitive }
        #expect(!longIsSensitive)
    }

    @Test func lexiconsMustNameRealCategories() throws {
        #expect(throws: TaxonomyError.self) {
            try CategoryClassifier(taxonomy: classifier.taxonomy, lexicons: "nonexistent\tword, other\n")
        }
        #expect(throws: TaxonomyError.self) {
            try CategoryClassifier(taxonomy: classifier.taxonomy, lexicons: "", weightedLexicon: "286\t1.5\tdisease\n")
        }
    }

    @Test func aBrokenCalibrationNamesItsLine() {
        do {
            _ = try CategoryCalibration(tsv: "# comment\nbias\t-3\nweights\t1\t2\n")
            Issue.record("a calibration with two of six weights must be refused")
        } catch let error as TaxonomyError {
            #expect(error.line == 3, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: Never.self) {
            try CategoryCalibration(tsv: "bias\t-3\nweights\t1\t2\t3\t4\t5\t6\nsensitive_threshold\t0.2\n")
        }
    }
}

@Suite struct SensitivePageTests {
    let engine: SelectionEngine
    let codec = try! SessionTokenCodec(secret: Array("test secret, thirty-two bytes!!!".utf8))
    static let healthPage = "Type 2 diabetes is a chronic disease. Patients manage blood sugar with insulin and medication, and see a physician for diagnosis and treatment."

    init() throws {
        var catalog = testCatalog
        catalog.append(CatalogItem(id: "ad:glucose-meter", kind: .ad, title: "Blood sugar meter", body: "Check your glucose and insulin dose.",
                                   advertiser: "MedCo", keywords: ["diabetes", "insulin", "blood sugar"], categories: ["317"],
                                   sensitiveOK: true))
        var engine = try SelectionEngine(catalog: catalog)
        engine.classifier = try shippedClassifier()
        engine.sessionCodec = codec
        self.engine = engine
    }

    func request(_ text: String, token: String? = nil) -> SelectionRequest {
        SelectionRequest(page: .init(title: "Page", text: text), slots: [.init(id: "s", count: 3)], session: token,
                         consent: .init(level: .session), now: "2026-11-23T10:00:00Z")
    }

    @Test func aBlockedCategoryOutsideTheTaxonomyIsRefused() throws {
        var blocking = request("green tea leaves")
        blocking.blockedCategories = ["483", "not-a-category"]
        do {
            _ = try engine.select(blocking)
            Issue.record("an unknown IAB id must be refused")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.field == "blocked_categories[1]")
        }
        blocking.blockedCategories = ["483"]
        #expect(throws: Never.self) { try engine.select(blocking) }
    }

    @Test func aSensitivePageWithNoItemAllowedOnItListsWhatItRefused() throws {
        var plain = try SelectionEngine(catalog: testCatalog + [
            CatalogItem(id: "ad:insulin-pen", kind: .ad, title: "Insulin pen", body: "For diabetes patients and their physician.",
                        advertiser: "PenCo", keywords: ["insulin", "diabetes"]),
        ])
        plain.classifier = try shippedClassifier()
        #expect(!plain.anyItemSensitiveOK)
        var asked = request(Self.healthPage)
        asked.explain = true
        let response = try plain.select(asked)
        #expect(response.sensitive == true)
        let allFallback = response.slots[0].items.allSatisfy(\.isFallback)
        #expect(allFallback, "\(response.slots[0].items.map(\.candidate.item.id))")
        let dropped = try #require(response.dropped)
        #expect(dropped.contains { $0.id == "ad:insulin-pen" && $0.reason == "sensitive_page" }, "\(dropped)")
    }

    @Test func explainShowsTheWordsBehindEachCategory() throws {
        var asked = request(Self.healthPage)
        let plain = try engine.select(asked)
        #expect(!plain.categories.isEmpty && plain.categories.allSatisfy { $0.evidence == nil })
        asked.explain = true
        let explained = try engine.select(asked)
        let diabetes = try #require(explained.categories.first { $0.id == "317" }, "\(explained.categories)")
        let evidence = try #require(diabetes.evidence)
        #expect(evidence.contains { $0.text == "diabetes" && $0.weight > 0 }, "\(evidence)")
        let line = JSONWriter.string(explained.json)
        #expect(line.contains(#""evidence":[{"text":"#), "\(line)")
    }

    @Test func sensitivePagesAreMarkedAndAddNothingToTheSession() throws {
        let first = try engine.select(request("green tea leaves"))
        let token = try #require(first.session)
        let health = try engine.select(request(Self.healthPage, token: token))
        #expect(health.sensitive == true)
        #expect(health.privacy.sensitive == true)
        #expect(health.categories.contains { $0.id == "317" })
        #expect(health.session == token, "the visit state is handed back unchanged")
    }

    @Test func itemsTargetingSensitiveCategoriesNeedTheDeployersConsent() throws {
        let page = request(Self.healthPage)
        let general = try engine.select(page)
        #expect(!general.slots[0].items.contains { $0.candidate.item.id == "ad:glucose-meter" })
        var healthPublisher = engine
        healthPublisher.allowedSensitiveCategories = ["317"]
        let allowed = try healthPublisher.select(page)
        #expect(allowed.slots[0].items.first?.candidate.item.id == "ad:glucose-meter")
    }
}
