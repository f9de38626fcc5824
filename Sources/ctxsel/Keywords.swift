import ArgumentParser
import Foundation
import Selection
import SelectionCore
import TextAnalysis
import WireFormat

struct Keywords: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a page's keywords (an HTML or plain-text file, or stdin).",
        discussion: "Keywords are weighed against the catalog's and the corpus's term statistics, as in `select`."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    @OptionGroup var source: IndexOptions

    @Option(help: "How many keywords to print at most.")
    var top: Int = 25

    @Option(help: "The page's language (BCP 47), when it does not declare one.")
    var lang: String?

    @Option(help: "json: one JSON object; text: one 'weight<TAB>term<TAB>text' line per keyword.")
    var format: Format = .json

    @Argument(help: "An HTML or text file; '-' or none reads stdin.")
    var file: String?

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        let data = try readInput(file)
        let content = String(decoding: data, as: UTF8.self)
        let isHTML = Self.looksLikeHTML(content) || file.map { $0.hasSuffix(".html") || $0.hasSuffix(".htm") } ?? false
        var options = KeywordExtractor.Options()
        options.maxKeywords = top
        var engine = SelectionEngine(index: try source.loadIndex())
        engine = SelectionEngine(index: engine.index, keywordExtractor: KeywordExtractor(options: options))
        let page = SelectionRequest.Page(html: isHTML ? content : nil, text: isHTML ? nil : content, lang: lang)
        let reading = engine.read(page)
        switch format {
        case .text:
            var lines = ""
            for keyword in reading.keywords {
                lines += "\(String(format: "%.4f", keyword.weight))\t\(keyword.term)\t\(keyword.text)\n"
            }
            FileHandle.standardOutput.write(Data(lines.utf8))
        case .json:
            let scrubbed = ScrubbedKind.allCases.compactMap { kind in
                reading.analyzed.scrubbed[kind].map { (kind.rawValue, JSONValue.number(Double($0))) }
            }
            let value = JSONValue.object([
                ("language", .string(reading.analyzed.language)),
                ("keywords", .array(reading.keywords.map {
                    .object([("term", .string($0.term)), ("text", .string($0.text)), ("weight", .number($0.weight))])
                })),
                ("scrubbed", .object(scrubbed)),
            ])
            FileHandle.standardOutput.write(Data((JSONWriter.string(value) + "\n").utf8))
        }
    }

    /// HTML when the first non-space character opens a tag or the text has an `<html` or `<body`.
    static func looksLikeHTML(_ text: String) -> Bool {
        let head = text.utf8.prefix(4096)
        let start = head.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF })
        if start.first == UInt8(ascii: "<") { return true }
        let lowered = String(decoding: head, as: UTF8.self).lowercased()
        return lowered.contains("<html") || lowered.contains("<body")
    }
}
