import ArgumentParser
import Foundation
import Indexing
import Selection
import TextAnalysis
import WireFormat

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count term document frequencies over a corpus of pages, for keyword weighting.",
        discussion: """
            Inputs are .html/.htm/.txt files, folders of them (searched recursively), or .jsonl \
            files with one page per line ({"title", "text"} or {"html"}, each with an optional \
            "lang"). Every page counts as one document of its language, read as select reads a \
            page: the declared language (the line's "lang", the HTML's lang), unless its text \
            clearly reads as another.
            """
    )

    @Option(help: "Where to write the statistics file.")
    var output: String

    @Option(help: "Keep only terms found in at least this many documents of their language (1 keeps all).")
    var minimumDocuments: Int = 1

    @Argument(help: "Pages, folders or .jsonl files.")
    var inputs: [String]

    func validate() throws {
        guard minimumDocuments >= 1 else { throw ValidationError("--minimum-documents must be at least 1") }
    }

    func run() throws {
        var statistics = CorpusStatistics()
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        func add(_ fields: PageFields, lang: String? = nil) {
            let analyzed = analyzer.analyzeInItsLanguage(fields, declared: lang ?? fields.language, scratch: scratch).analyzed
            statistics.add(documentTerms: analyzed.tokens.map(\.term), language: analyzed.language)
        }
        for path in try Self.files(inputs) {
            let text = String(decoding: try readInput(path), as: UTF8.self)
            if path.hasSuffix(".jsonl") {
                for (offset, line) in text.split(separator: "\n").enumerated() {
                    guard let json = try? JSONParser.parse(String(line)) else {
                        throw ToolError("\(path):\(offset + 1): not a JSON line")
                    }
                    let title: String? = if case .string(let value)? = json["title"] { value } else { nil }
                    let lang: String? = if case .string(let value)? = json["lang"] { value } else { nil }
                    if case .string(let html)? = json["html"] {
                        add(HTMLTextExtractor().extract(html), lang: lang)
                    } else if case .string(let body)? = json["text"] {
                        add(.plainText(body, title: title), lang: lang)
                    } else {
                        throw ToolError("\(path):\(offset + 1): a page line needs \"html\" or \"text\"")
                    }
                }
            } else if path.hasSuffix(".txt") {
                add(.plainText(text))
            } else {
                add(HTMLTextExtractor().extract(text))
            }
        }
        statistics.dropTerms(inFewerThan: minimumDocuments)
        do { try statistics.serialized().write(toFile: output, atomically: true, encoding: .utf8) } catch {
            throw ToolError("cannot write \(output): \(error.localizedDescription)")
        }
        let languages = statistics.languages.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value.documentCount) documents, \($0.value.frequencies.count) terms" }
        diagnose("\(languages.joined(separator: "; ")) → \(output)")
    }

    static func files(_ inputs: [String]) throws -> [String] {
        var result: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ToolError("no such file or folder: \(input)")
            }
            if isDirectory.boolValue {
                let found = (FileManager.default.enumerator(atPath: input)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".html") || $0.hasSuffix(".htm") || $0.hasSuffix(".txt") || $0.hasSuffix(".jsonl") }
                    .sorted()
                result += found.map { (input as NSString).appendingPathComponent($0) }
            } else {
                result.append(input)
            }
        }
        return result
    }
}
