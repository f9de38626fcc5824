import Foundation
import Indexing
public import Selection
public import SelectionCore
import TextAnalysis
import WireFormat

/// A labeled collection to run the engine on: a catalog, queries (or pages) and qrels.
///
/// Layout of the folder: `catalog.jsonl` (the catalog format) or `docs.jsonl` (`{"id", "title",
/// "text"}` per line: each document becomes a content item), `queries.jsonl` (`{"id", "text"}`,
/// `{"id", "title", "text"}` or `{"id", "html"}` per line: each query is a page), and
/// `qrels.txt` (TREC qrels). Documents and queries may carry `"lang"`, a language tag: a
/// document's is its item's language, a query's its page's declared language.
public struct LabeledCorpus: Sendable {
    public var items: [CatalogItem]
    public var queries: [(id: String, page: SelectionRequest.Page)]
    public var qrels: TRECQrels

    public init(folder: URL) throws {
        let fileManager = FileManager.default
        let catalog = folder.appendingPathComponent("catalog.jsonl")
        let docs = folder.appendingPathComponent("docs.jsonl")
        if fileManager.fileExists(atPath: catalog.path) {
            items = try CatalogLoader.load(from: catalog)
        } else if fileManager.fileExists(atPath: docs.path) {
            items = try Self.readLines(docs).enumerated().map { offset, json in
                guard case .string(let id)? = json["id"] ?? json["docno"].map({ $0 }) else {
                    throw TRECFormatError(source: docs.path, line: offset + 1, message: "a document needs a string \"id\"")
                }
                let title: String = if case .string(let value)? = json["title"] { value } else { "" }
                let text: String = if case .string(let value)? = json["text"] { value } else { "" }
                let languages = try Self.language(json, source: docs.path, line: offset + 1).map { [$0] } ?? []
                // A document is its own words: a missing title stays empty (not the id, which a
                // system that reads only the text would not see).
                return CatalogItem(id: id, kind: .content, title: title, body: text, languages: languages)
            }
        } else {
            throw TRECFormatError(source: folder.path, line: 0, message: "needs catalog.jsonl or docs.jsonl")
        }
        let queryFile = folder.appendingPathComponent("queries.jsonl")
        queries = try Self.readLines(queryFile).enumerated().map { offset, json in
            let id: String
            switch json["id"] {
            case .string(let value)?: id = value
            case .number(let value)?: id = String(Int(value))
            default: throw TRECFormatError(source: queryFile.path, line: offset + 1, message: "a query needs an \"id\"")
            }
            func string(_ key: String) -> String? { if case .string(let value)? = json[key] { value } else { nil } }
            var page = SelectionRequest.Page(title: string("title"), html: string("html"), text: string("text"))
            page.lang = try Self.language(json, source: queryFile.path, line: offset + 1)
            guard page.title != nil || page.html != nil || page.text != nil else {
                throw TRECFormatError(source: queryFile.path, line: offset + 1, message: "a query needs \"text\", \"title\" or \"html\"")
            }
            return (id, page)
        }
        let qrelsFile = folder.appendingPathComponent("qrels.txt")
        qrels = try TRECQrels(parsing: try String(contentsOf: qrelsFile, encoding: .utf8), source: qrelsFile.path)
    }

    /// A document's or query's optional `lang`, its primary subtag.
    static func language(_ json: JSONValue, source: String, line: Int) throws -> String? {
        guard let value = json["lang"] else { return nil }
        guard case .string(let tag) = value, let primary = primaryLanguage(tag) else {
            throw TRECFormatError(source: source, line: line, message: "\"lang\" is not a language tag")
        }
        return primary
    }

    static func readLines(_ url: URL) throws -> [JSONValue] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var values: [JSONValue] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            do { values.append(try JSONParser.parse(String(line))) } catch {
                throw TRECFormatError(source: url.path, line: offset + 1, message: error.description)
            }
        }
        return values
    }

    /// Runs `engine` on every query, keeping the top `depth` items, as a TREC run tagged `tag`.
    /// `progress` is called after each query with (done, total).
    public func run(_ engine: SelectionEngine, tag: String, depth: Int = 1000,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> (run: TRECRun, lists: [[CatalogItem]]) {
        var results: [String: [TRECRun.Entry]] = [:]
        var lists: [[CatalogItem]] = []
        let scratch = AnalysisScratch()
        for (done, query) in queries.enumerated() {
            let (_, ranked) = try engine.rank(query.page, limit: depth, requestID: query.id, scratch: scratch)
            let top = ranked.prefix(depth)
            results[query.id] = top.map { TRECRun.Entry(document: $0.item.id, score: $0.score) }
            lists.append(top.map(\.item))
            progress(done + 1, queries.count)
        }
        return (TRECRun(tag: tag, results: results), lists)
    }
}
