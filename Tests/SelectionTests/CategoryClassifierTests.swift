import Foundation
import SelectionCore
import SessionSignals
import Testing
import TextAnalysis
@testable import Selection

/// The shipped taxonomy and lexicons (Catalog/).
let catalogFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Catalog")

func shippedClassifier() throws -> CategoryClassifier {
    let taxonomy = try Taxonomy(tsv: try String(contentsOf: catalogFolder.appendingPathComponent("content-taxonomy-3.1.tsv"), encoding: .utf8))
    return try CategoryClassifier(taxonomy: taxonomy,
                                  lexicons: try String(contentsOf: catalogFolder.appendingPathComponent("lexicons.tsv"), encoding: .utf8))
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

    @Test func healthReligionAndWeaponsPagesAreSensitive() {
        let health = classify("Type 2 diabetes is a chronic disease. Patients manage blood sugar with insulin and medication, and see a physician for diagnosis.",
                              title: "Living with diabetes")
        let diabetes = health.contains { $0.id == "317" && $0.isSensitive }
        #expect(diabetes, "\(health)")
        let religion = classify("The gospel readings at church this Sunday; the pastor's sermon on the Bible and prayer.", title: "Sunday worship")
        let religious = religion.contains { $0.isSensitive }
        #expect(religious, "\(religion)")
        let weapons = classify("Compare the rifle and the handgun; ammunition prices for each caliber at the gun shop.", title: "Firearms guide")
        let arms = weapons.contains { $0.id == "avbNf2" }
        #expect(arms, "\(weapons)")
    }

    @Test func ordinaryPagesAreNot() {
        let code = classify("Define a function, import a module and call it from the interpreter; the compiler checks the syntax.",
                            title: "Python modules")
        let codeIsSensitive = code.contains { $0.isSensitive }
        #expect(!codeIsSensitive, "\(code)")
        #expect(code.first?.id == "631")
        let cooking = classify("Knead the sourdough, let the bread rise, and bake it in a hot oven.", title: "Baking bread")
        #expect(cooking.first?.id == "216")
        let cookingIsSensitive = cooking.contains { $0.isSensitive }
        #expect(!cookingIsSensitive)
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
