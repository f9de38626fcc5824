import ArgumentParser
import Evaluation
import Foundation

struct Rank: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the TREC run of a ranker over a labeled corpus's queries, or a slice of them.",
        discussion: """
            The run `evaluate --corpus` writes for the same ranker, as TREC lines (qid Q0 docno rank score tag) \
            sorted by query id; with --from and --count only those queries (in queries.jsonl order), so that the \
            runs of consecutive slices, merged by query id, are the whole run (scripts/spark-evaluate.py).
            """
    )

    @Option(help: "Labeled corpus folder (default: the default Corpus/cranfield).")
    var corpus: String?

    @Option(name: .customLong("ranker"), help: "Ranker setting (bm25, tfidf, priority, mmr, lottery, chains such as bm25,priority).")
    var ranker: String = "bm25"

    @Option(help: "Items retrieved per query.")
    var depth: Int = 1000

    @Option(help: "First query of the slice (0-based, in queries.jsonl order).")
    var from: Int = 0

    @Option(help: "Queries in the slice (default: to the end).")
    var count: Int?

    func validate() throws {
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1") }
        guard from >= 0 else { throw ValidationError("--from must be at least 0") }
        if let count, count < 0 { throw ValidationError("--count must be at least 0") }
    }

    func run() throws {
        let folder = corpus ?? DefaultData.path("Corpus/cranfield")
        let labeled: LabeledCorpus
        do { labeled = try LabeledCorpus(folder: URL(fileURLWithPath: folder)) } catch {
            throw ToolError("cannot read corpus \(folder): \(error)")
        }
        let evaluation = try CorpusEvaluation(corpus: labeled, threads: ProcessInfo.processInfo.activeProcessorCount)
        let end = count.map { from + $0 } ?? labeled.queries.count
        let (run, _) = try evaluation.run(ranker, depth: depth, queries: from..<max(from, end))
        FileHandle.standardOutput.write(Data(run.serialized().utf8))
    }
}
