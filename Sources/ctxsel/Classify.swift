import ArgumentParser
import Foundation
import Evaluation
import Selection
import TextAnalysis
import WireFormat

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the IAB categories of pages, with their probabilities and the words that put them there.",
        discussion: """
            Reads JSON lines {"id", "title", "text"} (or "html" instead of "text"), as in the labeled page files, \
            and writes one line per page: {"id", "sensitive", "categories": [{"id", "name", "score", "sensitive", \
            "evidence": [{"text", "weight"}]}]}. With --features, writes instead every category with evidence on \
            each page and its calibration features (TSV), what Catalog/tools/fit_classifier.py fits on.
            """
    )

    @Option(help: "Folder of the page classifier (default: the default Catalog/).")
    var classifier: String?

    @Option(help: "Probability from which a sensitive category marks the page sensitive (default: the calibration's).")
    var sensitiveThreshold: Double?

    @Flag(help: "Write every category with evidence and its calibration features instead (TSV: page, category, features…, analysed entry=evidence|…).")
    var features = false

    @Flag(help: "Print the classifier's lexicon entries instead (TSV: analysed terms, then the lexicon texts that analyse to them), and read no pages.")
    var entries = false

    @Argument(help: "JSON-lines files of pages; '-' or none reads stdin.")
    var files: [String] = []

    func validate() throws {
        try checkUnitInterval(sensitiveThreshold, option: "sensitive-threshold")
    }

    func run() throws {
        let loaded = try loadClassifier(folder: classifier ?? DefaultData.path("Catalog"), sensitiveThreshold: sensitiveThreshold)
        if entries {
            let lines = loaded.entryTexts.map { "\($0.terms)\t\($0.texts.joined(separator: "\t"))\n" }.joined()
            FileHandle.standardOutput.write(Data(lines.utf8))
            return
        }
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        var output = features ? "page\tcategory\t" + CategoryCalibration.featureNames.joined(separator: "\t") + "\tevidence\n" : ""
        for path in files.isEmpty ? ["-"] : files {
            let text = String(decoding: try readInput(path), as: UTF8.self)
            for (number, line) in LabeledPage.lines(of: text) {
                let page = try LabeledPage(line: line, source: path, lineNumber: number)
                let analyzed = analyzer.analyze(page.content, scratch: scratch)
                if features {
                    for scored in loaded.score(analyzed) {
                        output += "\(page.id)\t\(scored.id)\t"
                            + scored.features.vector.map { String(format: "%.6g", $0) }.joined(separator: "\t") + "\t"
                            + scored.evidence.map { "\($0.terms)=\(String(format: "%.4g", $0.weight))" }.joined(separator: "|") + "\n"
                    }
                } else {
                    let categories = loaded.classify(analyzed)
                    output += JSONWriter.string(.object([
                        ("id", .string(page.id)),
                        ("sensitive", .bool(categories.contains(where: \.isSensitive))),
                        ("categories", .array(categories.map(\.json))),
                    ])) + "\n"
                }
                if output.utf8.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(output.utf8))
                    output = ""
                }
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
