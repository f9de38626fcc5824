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
            files with one page per line ({"title", "text"} or {"html"}). Every page counts as \
            one document.
            """
    )

    @Option(help: "Where to write the statistics file.")
    var output: String

    @Argument(help: "Pages, folders or .jsonl files.")
    var inputs: [String]

    func run() throws {
        var statistics = CorpusStatistics()
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        func add(_ fields: PageFields) {
            statistics.add(documentTerms: analyzer.analyze(fields, scratch: scratch).tokens.map(\.term))
        }
        for path in try Self.files(inputs) {
            let text = String(decoding: try readInput(path), as: UTF8.self)
            if path.hasSuffix(".jsonl") {
                for (offset, line) in text.split(separator: "\n").enumerated() {
                    guard let json = try? JSONParser.parse(String(line)) else {
                        throw ToolError("\(path):\(offset + 1): not a JSON line")
                    }
                    let title: String? = if case .string(let value)? = json["title"] { value } else { nil }
                    if case .string(let html)? = json["html"] {
                        add(HTMLTextExtractor().extract(html))
                    } else if case .string(let body)? = json["text"] {
                        add(.plainText(body, title: title))
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
        do { try statistics.serialized().write(toFile: output, atomically: true, encoding: .utf8) } catch {
            throw ToolError("cannot write \(output): \(error.localizedDescription)")
        }
        diagnose("\(statistics.documentCount) documents, \(statistics.frequencies.count) terms → \(output)")
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
