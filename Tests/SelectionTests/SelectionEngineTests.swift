import Contract
import Foundation
import Indexing
import SelectionCore
import TextAnalysis
import Testing
@testable import Selection
import WireFormat

let testCatalog: [CatalogItem] = [
    CatalogItem(id: "ad:tea", kind: .ad, title: "Loose-leaf green tea", body: "Green and oolong tea with a teapot.",
                advertiser: "Kettle Co", keywords: ["tea", "teapot"], categories: ["222"], priority: 6),
    CatalogItem(id: "ad:tea-2", kind: .ad, title: "Tea subscription", body: "A new tea every month.",
                advertiser: "Kettle Co", keywords: ["tea"], priority: 4),
    CatalogItem(id: "ad:coffee", kind: .ad, title: "Espresso machines", body: "Coffee at home, barista quality.",
                advertiser: "Bean Co", keywords: ["coffee", "espresso"], negativeKeywords: ["decaf"], priority: 9, weight: 2),
    CatalogItem(id: "ad:french", kind: .ad, title: "Thé vert bio", body: "Thé vert du Japon.", advertiser: "Maison Thé",
                keywords: ["thé"], languages: ["fr"]),
    CatalogItem(id: "content:tea-guide", kind: .content, title: "How to brew green tea",
                body: "Water temperature and steeping time for green tea leaves.", priority: 3),
    CatalogItem(id: "content:coffee-guide", kind: .content, title: "Espresso basics",
                body: "Grind size, dose and extraction for espresso coffee.", priority: 3),
    CatalogItem(id: "house:newsletter", kind: .house, title: "Our newsletter", body: "Weekly, no tracking.", priority: 1),
]

/// A ranker that always fails.
struct BrokenRanker: Ranker {
    var name: String { "broken" }
    func rank(_ candidates: [Candidate], in context: RankingContext) throws -> [Candidate] {
        throw RankerError(ranker: name, message: "out of order")
    }
}

@Suite struct SelectionEngineTests {
    let engine: SelectionEngine

    init() throws { engine = try SelectionEngine(catalog: testCatalog) }

    func ids(_ response: SelectionResponse, slot: Int = 0) -> [String] {
        response.slots[slot].items.map(\.candidate.item.id)
    }

    @Test func selectsByRelevanceAndFillsSlotsWithoutRepeats() throws {
        let request = SelectionRequest(id: "r", page: .init(title: "Brewing green tea", text: "Steep green tea leaves in a teapot."),
                                       slots: [.init(id: "ads", count: 2, kinds: [.ad]), .init(id: "read", count: 5, kinds: [.content]),
                                               .init(id: "any", count: 3)])
        let response = try engine.select(request)
        #expect(ids(response, slot: 0) == ["ad:tea"], "one item per advertiser by default: both tea ads are Kettle Co's")
        var unlimited = request
        unlimited.maxPerAdvertiser = 0
        let unlimitedIDs = ids(try engine.select(unlimited), slot: 0)
        #expect(unlimitedIDs == ["ad:tea", "ad:tea-2"])
        #expect(ids(response, slot: 1) == ["content:tea-guide"])
        let all = response.slots.flatMap { $0.items.map(\.candidate.item.id) }
        #expect(Set(all).count == all.count, "no item twice across slots")
        #expect(response.keywords.first?.text == "tea" || response.keywords.first?.text == "green")
        let first = try #require(response.slots[0].items.first)
        #expect(first.candidate.matchedTerms.map(\.term).contains("tea"))
        #expect(first.relevanceExplanation == nil, "full explanations only on request")
        #expect(response.privacy.used.prefix(2) == ["page.title", "page.text"])
        #expect(response.language?.code == "en")
        #expect(response.privacy.used.contains("language detected from the page text") == (response.language?.source == .detected))
        #expect(response.privacy.applied == .context)
    }

    @Test func negativeKeywordsAndLanguagesExclude() throws {
        let coffee = SelectionRequest(page: .init(text: "Espresso coffee at home"), slots: [.init(id: "s", count: 3, kinds: [.ad])])
        #expect(ids(try engine.select(coffee)).first == "ad:coffee")
        let decaf = SelectionRequest(page: .init(text: "Decaf espresso coffee at home"), slots: [.init(id: "s", count: 3, kinds: [.ad])])
        #expect(!ids(try engine.select(decaf)).contains("ad:coffee"))
        let french = SelectionRequest(page: .init(text: "Le thé vert du Japon", lang: "fr"), slots: [.init(id: "s", count: 3)])
        let frenchIDs = ids(try engine.select(french))
        #expect(frenchIDs.first == "ad:french")
        #expect(!frenchIDs.contains("ad:tea"))
        let english = SelectionRequest(page: .init(text: "thé vert"), slots: [.init(id: "s", count: 3)])
        #expect(!ids(try engine.select(english)).contains("ad:french"), "a French-only item stays off English pages")
    }

    @Test func consentNoneUsesPriorityOnly() throws {
        let request = SelectionRequest(page: .init(title: "green tea"), slots: [.init(id: "s", count: 2, kinds: [.ad, .house])],
                                       consent: .init(level: .none))
        let response = try engine.select(request)
        #expect(ids(response) == ["ad:coffee", "ad:tea"])
        #expect(response.keywords.isEmpty)
        #expect(response.privacy.used.isEmpty)
        #expect(response.privacy.applied == .none)
    }

    @Test func globalPrivacyControlCapsSessionConsent() throws {
        let request = SelectionRequest(page: .init(title: "green tea"), consent: .init(level: .session, gpc: true))
        let response = try engine.select(request)
        #expect(response.privacy.requested == .session)
        #expect(response.privacy.applied == .context)
        #expect(response.privacy.reason.contains("Global Privacy Control"))
        #expect(response.session == nil)
    }

    @Test func explainAddsTheTermByTermRelevance() throws {
        let request = SelectionRequest(page: .init(text: "green tea"), slots: [.init(id: "s", count: 1)], explain: true)
        let response = try engine.select(request)
        let item = try #require(response.slots[0].items.first)
        let relevance = try #require(item.relevanceExplanation)
        #expect(abs(relevance.value - item.candidate.relevance.bm25) < 1e-9)
        #expect(relevance.details.allSatisfy { $0.description.hasPrefix("weight(") })
    }

    @Test func pageTermsAreEveryTokensTermAndTheDeclaredKeywords() {
        var reading = engine.read(.init(title: "Green tea", text: "Tea from green hills; the tea is green.",
                                        keywords: ["Oolong leaves"]))
        let tokenTerms = Set(reading.analyzed.tokens.map(\.term))
        #expect(tokenTerms.contains("tea") && tokenTerms.contains("green"), "\(tokenTerms)")
        #expect(reading.pageTerms == tokenTerms.union(reading.declared.joined()), "\(reading.pageTerms)")
        // Tokens edited by hand no longer match the distinct terms: the tokens are read.
        reading.analyzed.tokens.removeAll { $0.term == "tea" }
        #expect(reading.pageTerms == Set(reading.analyzed.tokens.map(\.term)).union(reading.declared.joined()))
        #expect(!reading.pageTerms.contains("tea"))
    }

    @Test func emptyCatalogAndEmptyPagesGiveEmptySlots() throws {
        let empty = try SelectionEngine(catalog: [])
        let response = try empty.select(SelectionRequest(page: .init(title: "anything")))
        #expect(response.slots[0].items.isEmpty)
        #expect(response.fillRate == 0)
        let nothing = try engine.select(SelectionRequest(page: .init(text: "the and of")))
        #expect(nothing.keywords.isEmpty)
        #expect(nothing.slots[0].items.map(\.candidate.item.id) == ["house:newsletter"], "house items fill what nothing matched")
        let allFallback = nothing.slots[0].items.allSatisfy { $0.isFallback }
        #expect(allFallback)
        let adsOnly = try engine.select(SelectionRequest(page: .init(text: "the and of"), slots: [.init(id: "s", count: 2, kinds: [.ad])]))
        #expect(adsOnly.slots[0].items.isEmpty, "no house item in a slot that takes ads only")
    }

    @Test func aFailingRankerFailsTheRequest() throws {
        let broken = SelectionEngine(index: engine.index, ranker: BrokenRanker())
        do {
            _ = try broken.select(SelectionRequest(page: .init(text: "green tea")))
            Issue.record("the ranker's failure must reach the caller")
        } catch {
            #expect(error.code == .rankerFailed)
            #expect(error.message.contains("out of order"))
        }
    }

    @Test func concurrentCallsGiveTheSequentialAnswers() async throws {
        let pages = ["green tea teapot", "espresso coffee", "newsletter weekly", "brew tea leaves", "coffee grind dose"]
        let requests = pages.map { SelectionRequest(id: $0, page: .init(text: $0), slots: [.init(id: "s", count: 3)]) }
        var expected: [String] = []
        for request in requests { expected.append(JSONWriter.string(try engine.select(request).json)) }
        let engine = self.engine
        let outputs = await withTaskGroup(of: (Int, String).self) { group in
            for round in 0..<40 {
                let index = round % requests.count
                group.addTask {
                    let output = (try? engine.select(requests[index])).map { JSONWriter.string($0.json) } ?? "failed"
                    return (index, output)
                }
            }
            var collected: [(Int, String)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        #expect(outputs.count == 40)
        for (index, output) in outputs { #expect(output == expected[index]) }
    }

    @Test func aSnapshotEngineAnswersLikeTheBuiltOne() throws {
        let loaded = SelectionEngine(index: try IndexSnapshot.load(try IndexSnapshot.data(of: engine.index)))
        for text in ["green tea teapot", "espresso coffee", "thé vert"] {
            let request = SelectionRequest(page: .init(text: text), slots: [.init(id: "s", count: 4)], explain: true)
            #expect(JSONWriter.string(try loaded.select(request).json) == JSONWriter.string(try engine.select(request).json))
        }
    }
}

@Suite struct CatalogLoaderTests {
    @Test func loadsAndValidates() throws {
        let items = try CatalogLoader.parse("""
            # comment
            {"id": "a", "kind": "ad", "advertiser": "X", "title": "T", "keywords": ["k"], "priority": 7, "weight": 1.5}

            {"id": "b", "title": "U", "languages": ["en-GB"], "cpm": {"amount": 2.5, "currency": "EUR"}}
            """)
        #expect(items.map(\.id) == ["a", "b"])
        #expect(items[0].priority == 7)
        #expect(items[1].languages == ["en"])
        #expect(items[0].cpm == nil && items[1].cpm == Price(amount: 2.5, currency: "EUR"))
    }

    @Test(arguments: [
        (#"{"title": "T"}"#, "id"),
        (#"{"id": "a", "kind": "banner", "title": "T"}"#, "kind"),
        (#"{"id": "a", "kind": "ad", "title": "T"}"#, "advertiser"),
        (#"{"id": "a", "title": "T", "priority": 11}"#, "priority"),
        (#"{"id": "a", "title": "T", "weight": 0}"#, "weight"),
        (#"{"id": "a", "title": "T", "keywords": "k"}"#, "keywords"),
        (#"{"id": "a", "title": "T", "colour": "red"}"#, "colour"),
        (#"{"id": "a", "title": "T", "cpm": 2.5}"#, "cpm"),
        (#"{"id": "a", "title": "T", "cpm": {"amount": -1, "currency": "USD"}}"#, "cpm.amount"),
        (#"{"id": "a", "title": "T", "cpm": {"amount": 1}}"#, "cpm.currency"),
        (#"{"id": "a", "title": "T", "cpm": {"amount": 1, "currency": "dollars"}}"#, "cpm.currency"),
        (#"{"id": "a", "title": "T", "cpm": {"amount": 1, "currency": "USD", "per": "click"}}"#, "cpm.per"),
    ])
    func errorsNameLineItemAndField(line: String, field: String) {
        do {
            _ = try CatalogLoader.parse("{\"id\": \"ok\", \"title\": \"fine\"}\n" + line, source: "cat.jsonl")
            Issue.record("must fail")
        } catch let error as CatalogLoadError {
            #expect(error.line == 2)
            #expect(error.field == field)
            #expect(error.description.hasPrefix("cat.jsonl:2"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// A catalog folder in a fresh temporary directory, one file per entry.
    func catalogFolder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    @Test func aDuplicateIDIsNamedByFileAndLine() throws {
        let folder = try catalogFolder(["a.jsonl": "{\"id\": \"x\", \"title\": \"X\"}\n\n{\"id\": \"y\", \"title\": \"Y\"}\n",
                                        "b.jsonl": "# comment\n{\"id\": \"y\", \"title\": \"Y again\"}\n"])
        do {
            _ = try CatalogLoader.load(from: folder)
            Issue.record("a duplicate id must fail")
        } catch let error as CatalogLoadError {
            #expect(error.source == folder.appendingPathComponent("b.jsonl").path)
            #expect(error.line == 2)
            #expect(error.item == "y")
            #expect(error.message == "id already used on \(folder.appendingPathComponent("a.jsonl").path):3", "\(error)")
        }
        do {
            _ = try CatalogLoader.parse("{\"id\": \"x\", \"title\": \"X\"}\n{\"id\": \"x\", \"title\": \"X\"}", source: "one.jsonl")
            Issue.record("a duplicate id must fail")
        } catch let error as CatalogLoadError {
            #expect(error.description == "one.jsonl:2 item \"x\" field id: id already used on line 1")
        }
    }

    @Test func anItemNamingACategoryOutsideTheTaxonomyIsRefusedWithItsLine() throws {
        let text = """
            {"id": "a", "title": "A", "categories": ["483"]}
            {"id": "b", "title": "B", "categories": ["483", "9999"]}
            """
        #expect(try CatalogLoader.parse(text, source: "c.jsonl").count == 2, "without a taxonomy, ids are not checked")
        do {
            _ = try text.utf8CString.withUnsafeBufferPointer { buffer in
                try buffer.withMemoryRebound(to: UInt8.self) {
                    try CatalogLoader.parse(bytes: UnsafeBufferPointer(rebasing: $0.dropLast()), source: "c.jsonl",
                                            knownCategories: ["483"])
                }
            }
            Issue.record("an unknown category id must be refused")
        } catch let error as CatalogLoadError {
            #expect(error.description == #"c.jsonl:2 item "b" field categories[1]: "9999" is not an IAB Content Taxonomy 3.1 id"#)
        }
        let blocked = #"{"id": "c", "title": "C", "blocked_page_categories": ["x"]}"#
        #expect(throws: CatalogLoadError.self) {
            try Array(blocked.utf8).withUnsafeBufferPointer { try CatalogLoader.parse(bytes: $0, source: "d.jsonl", knownCategories: ["483"]) }
        }
    }

    @Test func anEmptyCatalogIsRefused() throws {
        let folder = try catalogFolder(["a.jsonl": "# nothing yet\n\n"])
        #expect(throws: CatalogLoadError.self) { try CatalogLoader.load(from: folder) }
        do { _ = try CatalogLoader.load(from: folder) } catch {
            #expect("\(error)".contains("holds no items"), "\(error)")
        }
    }

    @Test func aFIFOIsRefusedInsteadOfBlocking() throws {
        let folder = try catalogFolder([:])
        let fifo = folder.appendingPathComponent("catalog.jsonl")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        do {
            _ = try CatalogLoader.load(from: fifo)
            Issue.record("a FIFO must be refused")
        } catch {
            #expect("\(error)".contains("not a regular file"), "\(error)")
        }
    }
}
