import Dispatch
import Foundation
public import Mustache
public import Selection
public import SelectionCore

/// Fills the slots marked up in an HTML page with items selected for that page, through one
/// Mustache template per item kind. Template variables are HTML-escaped (`{{title}}`), links
/// other than http(s) become `#`, and every byte outside the slots is kept as it was.
public struct PageRenderer: Sendable {
    public let engine: SelectionEngine
    let templates: [ItemKind: MustacheTemplate]

    /// - Parameter templates: Mustache source per kind (`ad`, `content`, `house`).
    /// - Throws: ``RenderError`` for a missing or unparsable template.
    public init(engine: SelectionEngine, templates: [ItemKind: String]) throws {
        self.engine = engine
        var compiled: [ItemKind: MustacheTemplate] = [:]
        for kind in ItemKind.allCases {
            guard let source = templates[kind] else { throw RenderError("no template for \(kind.rawValue) items") }
            do { compiled[kind] = try MustacheTemplate(string: source) } catch {
                throw RenderError("template for \(kind.rawValue) items: \(error)")
            }
        }
        self.templates = compiled
    }

    /// Reads `ad.mustache`, `content.mustache` and `house.mustache` from `folder`.
    public init(engine: SelectionEngine, templateFolder folder: URL) throws {
        try self.init(engine: engine, templates: try Self.templateSources(in: folder))
    }

    /// The Mustache source of each kind's template in `folder`.
    public static func templateSources(in folder: URL) throws -> [ItemKind: String] {
        var sources: [ItemKind: String] = [:]
        for kind in ItemKind.allCases {
            let url = folder.appendingPathComponent("\(kind.rawValue).mustache")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw RenderError("cannot read the template \(url.path)")
            }
            sources[kind] = text
        }
        return sources
    }

    /// The page with its slots filled, and the selection behind it (the page is its own context).
    public func render(_ html: String, requestID: String? = nil, now: String? = nil) throws -> (html: String, response: SelectionResponse) {
        let slots: [SlotMarkup]
        do { slots = try SlotMarkup.slots(in: html) } catch { throw RenderError("\(error)") }
        guard !slots.isEmpty else {
            return (html, SelectionResponse(id: requestID, slots: [], keywords: [], ranker: engine.ranker.name,
                                            privacy: PrivacyReceipt(requested: .context)))
        }
        var seen: Set<String> = []
        let unique = slots.filter { seen.insert($0.id).inserted }
        let request = SelectionRequest(id: requestID, page: .init(html: html),
                                       slots: unique.map { .init(id: $0.id, count: $0.count, kinds: $0.kinds) }, now: now)
        let response: SelectionResponse
        do { response = try engine.select(request) } catch { throw RenderError("selection failed: \(error)") }
        var fills: [String: String] = [:]
        for slot in response.slots {
            fills[slot.id] = slot.items.map { fragment(for: $0.candidate.item, slot: slot.id) }.joined(separator: "\n")
        }
        var output = [UInt8]()
        let bytes = Array(html.utf8)
        output.reserveCapacity(bytes.count + fills.values.reduce(0) { $0 + $1.utf8.count })
        var position = 0
        for slot in slots {
            output.append(contentsOf: bytes[position..<slot.contentRange.lowerBound])
            output.append(contentsOf: (fills[slot.id] ?? "").utf8)
            position = slot.contentRange.upperBound
        }
        output.append(contentsOf: bytes[position...])
        return (String(decoding: output, as: UTF8.self), response)
    }

    /// One item through its kind's template: the HTML a slot gets, and an OpenRTB bid's `adm`.
    public func fragment(for item: CatalogItem, slot: String) -> String {
        var object: [String: Any] = [
            "id": item.id, "kind": item.kind.rawValue, "title": item.title, "slot": slot,
            "url": Self.safeURL(item.url), "sponsored": item.kind == .ad,
        ]
        // Read once: a loaded item's body is decoded from the snapshot on every read.
        let body = item.body
        if !body.isEmpty {
            object["body"] = body
            object["summary"] = Self.summary(body)
        }
        if let advertiser = item.advertiser { object["advertiser"] = advertiser }
        if let image = item.image { object["image"] = Self.safeURL(image) }
        return templates[item.kind]!.render(object)
    }

    /// http(s) links only: anything else (`javascript:`, `data:`) becomes `#`.
    static func safeURL(_ url: String?) -> String {
        guard let url else { return "#" }
        let lowered = url.lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://") ? url : "#"
    }

    /// The first sentence or 200 characters of a body, for content teasers.
    static func summary(_ body: String) -> String {
        let firstParagraph = body.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? body
        return firstParagraph.count <= 200 ? firstParagraph : String(firstParagraph.prefix(199)) + "…"
    }

    /// Renders every `.html` file under `input` into the same place under `output`, in parallel,
    /// and copies every other file unchanged. Returns the number of pages and slots filled.
    /// - Parameter progress: told each finished page's count and the total, from any thread.
    public func renderSite(from input: URL, to output: URL, threads: Int,
                           progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> (pages: Int, slots: Int) {
        let fileManager = FileManager.default
        let names = (fileManager.enumerator(atPath: input.path)?.allObjects as? [String] ?? []).sorted()
        var pages: [String] = []
        for name in names {
            var isDirectory: ObjCBool = false
            let source = input.appendingPathComponent(name)
            guard fileManager.fileExists(atPath: source.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let target = output.appendingPathComponent(name)
            try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if name.hasSuffix(".html") || name.hasSuffix(".htm") {
                pages.append(name)
            } else {
                if fileManager.fileExists(atPath: target.path) { try fileManager.removeItem(at: target) }
                try fileManager.copyItem(at: source, to: target)
            }
        }
        let results = Results(count: pages.count)
        let pageNames = pages
        let work: @Sendable (Int) -> Void = { index in
            let name = pageNames[index]
            do {
                let data = try Data(contentsOf: input.appendingPathComponent(name))
                let (html, response) = try render(String(decoding: data, as: UTF8.self), requestID: name)
                try Data(html.utf8).write(to: output.appendingPathComponent(name))
                results.set(index, .success(response.slots.count))
            } catch {
                results.set(index, .failure(RenderError("\(name): \(error)")))
            }
            progress?(results.finished, pageNames.count)
        }
        if threads <= 1 { for index in pages.indices { work(index) } } else {
            DispatchQueue.concurrentPerform(iterations: pages.count, execute: work)
        }
        var slots = 0
        for result in results.values { slots += try result.get() }
        return (pages.count, slots)
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Result<Int, RenderError>]
    init(count: Int) { storage = Array(repeating: .success(0), count: count) }
    private var count = 0
    func set(_ index: Int, _ value: Result<Int, RenderError>) { lock.lock(); storage[index] = value; count += 1; lock.unlock() }
    /// How many pages are done.
    var finished: Int { lock.lock(); defer { lock.unlock() }; return count }
    var values: [Result<Int, RenderError>] { lock.lock(); defer { lock.unlock() }; return storage }
}

public struct RenderError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
