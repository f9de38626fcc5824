import ArgumentParser
import Contract
import Evaluation
import Foundation
import Indexing
import Selection
import SelectionCore
import TextAnalysis
import WireFormat

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score TREC runs with trec_eval's measures, or run the engine on a labeled corpus, and compare runs.",
        discussion: """
            Either give --qrels and one or more --run files (from any system), or --corpus DIR \
            (catalog.jsonl or docs.jsonl, queries.jsonl, qrels.txt) to run each --ranker setting on \
            it; without either, Corpus/cranfield is used. With two or more runs the first is the \
            baseline: every other run is compared with it per measure (paired t-test, paired \
            randomization test, bootstrap 95% interval, wins/ties/losses, Holm–Bonferroni).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case trec, json, markdown, html
    }

    @Option(help: "TREC qrels file (qid iter docno rel).")
    var qrels: String?

    @Option(name: .customLong("run"), help: "TREC run file (qid Q0 docno rank score tag); repeat for several runs.")
    var runs: [String] = []

    @Option(help: "Labeled corpus folder to run the engine on (default: Corpus/cranfield when no --qrels).")
    var corpus: String?

    @Option(name: .customLong("ranker"), help: "With --corpus: a ranker setting to run (bm25, tfidf, priority, chains such as bm25,priority, exec:PATH); repeat for several runs. Default: bm25 and tfidf.")
    var rankers: [String] = []

    @Option(help: "Selection output of `ctxsel select` (NDJSON responses): report its selection quality against --catalog.")
    var selections: String?

    @Option(help: "With --selections: the catalog the selections came from (default: the default Catalog/).")
    var catalog: String?

    @Option(help: "Hand-labeled pages (JSON lines {\"id\", \"title\", \"text\", \"sensitive\"}, optionally \"kind\", \"sensitive_rows\", \"categories\"): report sensitive-page detection and category accuracy of the classifier in --catalog (default: the default Catalog/).")
    var sensitivity: String?

    @Option(help: "With --sensitivity: the probability from which a sensitive category marks a page sensitive (default: the calibration's).")
    var sensitiveThreshold: Double?

    @Option(help: "With --corpus: analyse every document and query in this language, whatever they declare or read as (e.g. en: the language-blind baseline).")
    var analysisLanguage: String?

    @Option(help: "With --corpus: how Chinese and Japanese text is split into terms: dictionary (ICU's words, the engine's way) or bigrams (overlapping character pairs).")
    var cjkSegmentation: Analyzer.CJKSegmentation = .dictionary

    @Option(help: "With --corpus: items retrieved per query.")
    var depth: Int = 1000

    @Option(help: "With --corpus: folder the TREC run files are written to.")
    var runsDir: String = "runs"

    @Option(help: "trec: trec_eval's three columns; json, markdown or html: the full report.")
    var format: Format = .markdown

    @Flag(name: .customShort("q"), help: "With --format trec: per-query lines too.")
    var perQuery = false

    @Option(name: .customShort("l"), help: "Relevance level: judgments at or above it are relevant for binary measures.")
    var relevanceLevel: Int = 1

    @Flag(name: .customShort("c"), help: "Average over every qrels query (a query missing from a run scores as an empty ranking).")
    var averageOverAllQueries = false

    @Option(name: .customLong("compare"), help: "A measure to compare runs on; repeat. Default: map, ndcg_cut_10, P_10, recip_rank, bpref.")
    var compareMeasures: [String] = []

    @Option(help: "Sign permutations of the randomization test.")
    var permutations: Int = PairedRandomizationTest.defaultPermutations

    @Option(help: "Seed of the randomization test and the bootstrap.")
    var seed: UInt64 = 20261123

    @Option(help: "Write the report here instead of stdout.")
    var output: String?

    func validate() throws {
        if qrels != nil, corpus != nil { throw ValidationError("give --qrels with --run, or --corpus, not both") }
        if qrels != nil, runs.isEmpty { throw ValidationError("--qrels needs at least one --run") }
        if qrels == nil, !runs.isEmpty { throw ValidationError("--run needs --qrels") }
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1") }
        guard permutations >= 1000 else { throw ValidationError("--permutations must be at least 1000") }
        guard relevanceLevel >= 0 else { throw ValidationError("-l must be at least 0") }
        if selections != nil || sensitivity != nil, format == .trec || format == .html {
            throw ValidationError("--\(selections != nil ? "selections" : "sensitivity") writes json or markdown, not \(format.rawValue)")
        }
        try checkUnitInterval(sensitiveThreshold, option: "sensitive-threshold")
        if let analysisLanguage {
            guard corpus != nil || qrels == nil, selections == nil, sensitivity == nil else {
                throw ValidationError("--analysis-language goes with --corpus")
            }
            guard primaryLanguage(analysisLanguage) != nil else {
                throw ValidationError("--analysis-language \(analysisLanguage) is not a language tag")
            }
        }
        for measure in compareMeasures where StandardMeasures.named(measure) == nil {
            throw ValidationError("unknown measure \(measure); e.g. map, ndcg_cut_10, P_10, recip_rank, bpref")
        }
    }

    func run() throws {
        if let selections { return try reportSelectionQuality(selections) }
        if let sensitivity { return try reportSensitivity(sensitivity) }
        let evaluator = RunEvaluator(relevanceLevel: relevanceLevel, averageOverAllQueries: averageOverAllQueries)
        var evaluations: [RunEvaluation] = []
        var quality: [String: SelectionQuality] = [:]
        if let qrels {
            let judgments = try TRECQrels(parsing: try readText(qrels), source: qrels)
            for path in runs {
                let run = try TRECRun(parsing: try readText(path), source: path)
                do { evaluations.append(try evaluator.evaluate(run, qrels: judgments)) } catch {
                    throw ToolError("\(path): \(error)")
                }
            }
        } else {
            let folder = corpus ?? DefaultData.path("Corpus/cranfield")
            let labeled: LabeledCorpus
            do { labeled = try LabeledCorpus(folder: URL(fileURLWithPath: folder)) } catch {
                throw ToolError("cannot read corpus \(folder): \(error)")
            }
            var analyzer = Analyzer()
            analyzer.pinnedLanguage = analysisLanguage.flatMap(primaryLanguage)
            analyzer.cjkSegmentation = cjkSegmentation
            let corpusEvaluation = try CorpusEvaluation(corpus: labeled, analyzer: analyzer,
                                                        threads: ProcessInfo.processInfo.activeProcessorCount)
            try FileManager.default.createDirectory(atPath: runsDir, withIntermediateDirectories: true)
            for setting in rankers.isEmpty ? ["bm25", "tfidf"] : rankers {
                let progress = Progress("\(setting) over \(labeled.queries.count) queries")
                let outcome: CorpusEvaluation.Outcome
                do {
                    outcome = try corpusEvaluation.evaluate(setting, depth: depth, evaluator: evaluator) { done, total in
                        progress.update(done, of: total)
                    }
                } catch let error as RankerError { throw ValidationError("\(error)") }
                progress.finish()
                let path = (runsDir as NSString).appendingPathComponent("\(outcome.run.tag).run")
                try outcome.run.serialized().write(toFile: path, atomically: true, encoding: .utf8)
                diagnose("\(setting): \(String(format: "%.2f", outcome.seconds)) s → \(path)")
                evaluations.append(outcome.evaluation)
                quality[outcome.run.tag] = outcome.quality
            }
        }
        let measures = compareMeasures.isEmpty ? RunComparer.defaultMeasures : compareMeasures
        let comparisons = RunComparer(measures: measures, permutations: permutations, seed: seed).compare(evaluations)
        let report = EvaluationReport(
            evaluations: evaluations, comparisons: comparisons, quality: quality,
            tableMeasures: ["num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref", "recip_rank",
                            "P_5", "P_10", "P_20", "recall_100", "recall_1000", "ndcg", "ndcg_cut_10", "ndcg_cut_100"],
            relevanceLevel: relevanceLevel, averageOverAllQueries: averageOverAllQueries,
            permutations: permutations, seed: seed)
        let text: String
        switch format {
        case .trec: text = report.trecText(perQuery: perQuery)
        case .json: text = JSONWriter.string(report.json) + "\n"
        case .markdown: text = report.markdown
        case .html: text = report.html
        }
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw ToolError("cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Selection quality of `ctxsel select` output: every response line's slots are lists.
    func reportSelectionQuality(_ path: String) throws {
        guard qrels == nil, corpus == nil else { throw ValidationError("--selections stands alone: no --qrels or --corpus") }
        let index = try IndexBuilder().build(try loadCatalog(catalog), threads: ProcessInfo.processInfo.activeProcessorCount)
        var lists: [[CatalogItem]] = []
        var requested: [Int] = []
        var skipped = 0
        for (offset, text) in try readText(path).split(separator: "\n").enumerated() {
            let read: ResponseLine
            do { read = try ResponseLine(text, line: offset + 1) } catch { throw ToolError("\(path): \(error)") }
            guard case .response(_, let slots, _) = read else { skipped += 1; continue }
            for (slotNumber, slot) in slots.enumerated() {
                var list: [CatalogItem] = []
                for (position, id) in slot.itemIDs.enumerated() {
                    guard let found = index.position(of: id) else {
                        throw ToolError("\(path): line \(offset + 1), field slots[\(slotNumber)].items[\(position)].id: \(id) is not in the catalog")
                    }
                    list.append(index.items[found])
                }
                lists.append(list)
                requested.append(slot.count)
            }
        }
        if skipped > 0 { diagnose("\(skipped) error record(s) skipped") }
        let quality = SelectionQuality(lists: lists, requested: requested, index: index)
        let text = format == .json ? JSONWriter.string(quality.json(depth: 0)) + "\n" : quality.markdownTable
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Precision and recall of sensitive-page detection against hand labels.
    func reportSensitivity(_ path: String) throws {
        let folder = catalog ?? DefaultData.path("Catalog")
        let classifier = try loadClassifier(folder: folder, sensitiveThreshold: sensitiveThreshold)
        let result = try SensitivityEvaluation(classifier: classifier, labeledPages: try readText(path), source: path)
        let text = format == .json ? JSONWriter.string(result.json) + "\n" : result.markdown
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func readText(_ path: String) throws -> String { String(decoding: try readInput(path), as: UTF8.self) }
}

extension Analyzer.CJKSegmentation: ExpressibleByArgument {}
