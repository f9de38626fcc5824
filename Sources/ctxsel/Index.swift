import ArgumentParser
import Foundation
import Indexing

struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build an index snapshot from a catalog, for `select --index`.",
        discussion: "The snapshot is versioned and checksummed; loading a damaged or foreign file fails with a clear error."
    )

    @Option(help: "Catalog file (JSON Lines) or folder of .jsonl files. Default: ./Catalog.")
    var catalog: String?

    @Option(help: "Corpus statistics file (default: ./Corpus/stats.tsv when present and --catalog is not given).")
    var stats: String?

    @Option(help: "Where to write the snapshot.")
    var output: String

    @Option(help: "Threads for analysis.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let started = Date()
        let items = try Progress.run("reading the catalog") { try loadCatalog(catalog, knownCategories: try taxonomyIDs(besideCatalog: catalog)) }
        let statistics = try loadStatistics(stats, defaultPath: catalog == nil ? DefaultData.path("Corpus/stats.tsv") : nil)
        let index: CatalogIndex
        do {
            index = try Progress.run("indexing \(items.count) items") {
                try IndexBuilder().build(items, corpusStatistics: statistics, threads: max(1, threads))
            }
        } catch {
            throw ToolError("cannot index the catalog: \(error)")
        }
        do { try IndexSnapshot.write(index, to: URL(fileURLWithPath: output)) } catch {
            throw ToolError("cannot write \(output): \(error.localizedDescription)")
        }
        diagnose("indexed \(index.documentCount) items, \(index.termCount) terms, \(index.postingCount) postings in "
            + String(format: "%.2f s", Date().timeIntervalSince(started)) + " → \(output)")
    }
}
