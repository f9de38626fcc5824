import Foundation
import Selection
import SelectionCore
import SessionSignals
import Testing

/// README's "Use it as a library" snippet, as written there between the markers, compiled and
/// run on the default catalog (tests run from the package folder).
func readmeLibraryExample() throws -> SelectionResponse {
    // README example begins
    let items = try CatalogLoader.load(from: URL(fileURLWithPath: "Catalog"))
    var engine = try SelectionEngine(catalog: items, ranker: try RankerRegistry.make("bm25,priority"))
    // Optional: page categories and sensitive-topic rules, and session consent.
    engine.classifier = try CategoryClassifier(folder: URL(fileURLWithPath: "Catalog"))
    engine.sessionCodec = try SessionTokenCodec(secret: Array("a secret of at least 16 bytes".utf8))

    // Set up, `engine` is a value that never changes: share it with every task of the renderer.
    let pageHTML = "<h1>Brewing green tea</h1><p>Loose-leaf sencha wants water at 80 °C and a teapot.</p>"
    let request = SelectionRequest(
        id: "home",
        page: .init(title: "Brewing green tea", html: pageHTML),
        slots: [.init(id: "sidebar", count: 2, kinds: [.ad]), .init(id: "related", count: 3, kinds: [.content])])
    let response = try engine.select(request)
    for slot in response.slots {
        for chosen in slot.items { print(slot.id, chosen.candidate.item.title, chosen.candidate.matchedTerms) }
    }
    // README example ends
    return response
}

@Suite struct ReadmeExampleTests {
    @Test func theLibraryExampleRunsOnTheDefaultCatalog() throws {
        let response = try readmeLibraryExample()
        #expect(response.slots.map(\.id) == ["sidebar", "related"])
        #expect(response.slots[0].items.allSatisfy { $0.candidate.item.kind == .ad }, "\(response.slots[0].items)")
        #expect(!response.slots[0].items.isEmpty)
        #expect(response.sensitive == false, "the classifier ran")
    }

    @Test func theREADMEQuotesTheExampleAsCompiled() throws {
        let here = URL(fileURLWithPath: #filePath)
        let source = try String(contentsOf: here, encoding: .utf8)
        let readme = try String(contentsOf: here.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let begin = source.range(of: "// README example begins\n")!, end = source.range(of: "    // README example ends")!
        let body = source[begin.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? $0.dropFirst(4) : $0 }.joined(separator: "\n")
        let snippet = "```swift\nimport Foundation\nimport Selection\nimport SelectionCore\nimport SessionSignals\n\n" + body + "```"
        #expect(readme.contains(snippet), "README's library snippet differs from the compiled one:\n\(snippet)")
    }
}
