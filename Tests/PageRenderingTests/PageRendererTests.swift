import Foundation
import SelectionCore
import Testing
@testable import PageRendering
@testable import Selection

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let renderCatalog: [CatalogItem] = [
    CatalogItem(id: "ad:regex", kind: .ad, title: "The regular expressions course", body: "Patterns and groups.",
                url: "https://example.com/regex", advertiser: "ThreadLine", keywords: ["regular expression", "pattern"]),
    CatalogItem(id: "ad:evil", kind: .ad, title: "<script>alert('x')</script> Regex & patterns", body: "\"><img src=x onerror=alert(1)>",
                url: "javascript:alert(1)", advertiser: "Evil <b>Co</b>", keywords: ["regular expression", "pattern"]),
    CatalogItem(id: "content:re", title: "The re module", body: "Regular expression operations.", url: "https://docs.python.org/3/library/re.html",
                keywords: ["regular expression"]),
    CatalogItem(id: "house:news", kind: .house, title: "Our newsletter", url: "https://example.com/news"),
]

@Suite struct PageRendererTests {
    let renderer: PageRenderer

    init() throws {
        renderer = try PageRenderer(engine: try SelectionEngine(catalog: renderCatalog),
                                    templateFolder: repository.appendingPathComponent("Catalog/templates"))
    }

    /// A real page with two slots inserted before its main content.
    func page() throws -> (html: String, before: String, after: String) {
        let original = try String(contentsOf: repository.appendingPathComponent("Corpus/pages/howto-regex.html"), encoding: .utf8)
        let marker = original.range(of: "<div class=\"body\" role=\"main\">")!
        let before = String(original[..<marker.lowerBound]) + #"<div data-ctxsel-slot="ads" data-ctxsel-count="2" data-ctxsel-kinds="ad">"#
        let after = "</div>\n" + String(original[marker.lowerBound...])
        return (before + "placeholder" + after, before, after)
    }

    @Test func fillsSlotsAndKeepsEveryOtherByte() throws {
        let (html, before, after) = try page()
        let (rendered, response) = try renderer.render(html, now: "2026-11-23T10:00:00Z")
        #expect(rendered.hasPrefix(before))
        #expect(rendered.hasSuffix(after))
        let filled = String(rendered.dropFirst(before.count).dropLast(after.count))
        #expect(!filled.contains("placeholder"))
        #expect(response.slots.first?.items.count == 2)
        #expect(filled.contains(#"rel="sponsored noopener""#))
        #expect(filled.components(separatedBy: "Sponsored</span>").count == 3, "each ad carries a visible label")
    }

    @Test func hostileItemTextIsEscaped() throws {
        let (html, before, after) = try page()
        let (rendered, _) = try renderer.render(html, now: "2026-11-23T10:00:00Z")
        let filled = String(rendered.dropFirst(before.count).dropLast(after.count))
        #expect(filled.contains("data-ctxsel-item=\"ad:evil\""), "the hostile item was selected")
        #expect(!filled.contains("<script>") && !filled.contains("<img") && !filled.contains("<b>"))
        #expect(filled.contains("&lt;script&gt;"))
        #expect(!filled.contains("javascript:"), "only http(s) links survive")
    }

    @Test func rendersWhatTheLibrarySelects() throws {
        let (html, _, _) = try page()
        let (_, response) = try renderer.render(html, now: "2026-11-23T10:00:00Z")
        let direct = try renderer.engine.select(SelectionRequest(page: .init(html: html), slots: [.init(id: "ads", count: 2, kinds: [.ad])],
                                                                 now: "2026-11-23T10:00:00Z"))
        #expect(response.slots.map { $0.items.map(\.candidate.item.id) } == direct.slots.map { $0.items.map(\.candidate.item.id) })
    }

    @Test func pagesWithoutSlotsComeOutUnchanged() throws {
        let html = "<html><body><p>No slots here.</p><div data-ctxsel-kind=\"ad\"></div></body></html>"
        #expect(try renderer.render(html).html == html)
    }

    @Test func badSlotMarkupIsRefusedWithItsLineAndAttribute() throws {
        let cases: [(html: String, error: SlotMarkupError)] = [
            ("<p>x</p>\n<div data-ctxsel-slot=\"side\" data-ctxsel-count=\"two\"></div>",
             SlotMarkupError(line: 2, field: "data-ctxsel-count", message: #"must be an integer from 1 to 50, not "two""#)),
            ("<div data-ctxsel-slot=\"side\" data-ctxsel-count=\"51\"></div>",
             SlotMarkupError(line: 1, field: "data-ctxsel-count", message: #"must be an integer from 1 to 50, not "51""#)),
            ("\n\n<aside data-ctxsel-slot=\"side\" data-ctxsel-kinds=\"ad,banner\"></aside>",
             SlotMarkupError(line: 3, field: "data-ctxsel-kinds", message: #"unknown kind "banner"; kinds are ad, content, house"#)),
            ("<div data-ctxsel-slot=\"\"></div>", SlotMarkupError(line: 1, field: "data-ctxsel-slot", message: "a slot needs a non-empty id")),
            ("<div data-ctxsel-slot=\"side\">never closed", SlotMarkupError(line: 1, field: "data-ctxsel-slot", message: #"slot "side" has no </div> end tag"#)),
        ]
        for (html, expected) in cases {
            #expect(throws: expected) { try SlotMarkup.slots(in: html) }
            do {
                _ = try renderer.render(html)
                Issue.record("render must refuse \(html)")
            } catch {
                #expect("\(error)" == expected.description)
            }
        }
    }

    @Test func slotMarkupIsParsed() throws {
        let html = #"<p>a</p><section class="x" data-ctxsel-slot="side" data-ctxsel-kinds="ad, house" data-ctxsel-count="3"><section>inner</section></section><span data-ctxsel-slot="b"></span>"#
        let slots = try SlotMarkup.slots(in: html)
        #expect(slots.map(\.id) == ["side", "b"])
        #expect(slots[0].count == 3)
        #expect(slots[0].kinds == [.ad, .house])
        let inner = Array(html.utf8)[slots[0].contentRange]
        #expect(String(decoding: inner, as: UTF8.self) == "<section>inner</section>", "nested elements of the same name")
    }

    @Test func rendersAWholeSiteInParallel() throws {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-site-\(UUID().uuidString)")
        let output = input.appendingPathExtension("out")
        try FileManager.default.createDirectory(at: input.appendingPathComponent("docs"), withIntermediateDirectories: true)
        let (html, _, _) = try page()
        for index in 0..<6 { try html.write(to: input.appendingPathComponent("docs/page\(index).html"), atomically: true, encoding: .utf8) }
        try "body { color: red }".write(to: input.appendingPathComponent("style.css"), atomically: true, encoding: .utf8)
        let (pages, slots) = try renderer.renderSite(from: input, to: output, threads: 2)
        #expect(pages == 6 && slots == 6)
        #expect(try String(contentsOf: output.appendingPathComponent("style.css"), encoding: .utf8) == "body { color: red }")
        let one = try String(contentsOf: output.appendingPathComponent("docs/page3.html"), encoding: .utf8)
        #expect(one.contains("ctxsel-item"))
    }
}
