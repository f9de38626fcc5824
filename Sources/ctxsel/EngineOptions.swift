import ArgumentParser
import Foundation
import Indexing
import Selection
import SelectionCore
import SessionSignals

/// Where the catalog comes from: what `keywords` needs, and the first part of `EngineOptions`.
struct IndexOptions: ParsableArguments {
    @Option(help: "Catalog file (JSON Lines) or folder of .jsonl files. Default: ./Catalog.")
    var catalog: String?

    @Option(help: "Index snapshot written by `ctxsel index` (instead of --catalog).")
    var index: String?

    @Option(help: "Corpus statistics file written by `ctxsel stats` (default: the default Corpus/stats.tsv when present; ignored with --index).")
    var stats: String?

    @Option(help: "Threads for building the index from a catalog.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if catalog != nil, index != nil { throw ValidationError("give --catalog or --index, not both") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    /// - Parameter knownCategories: the taxonomy's ids, when one is loaded: a catalog item naming
    ///   another is refused with its file and line.
    func loadIndex(knownCategories: Set<String>? = nil) throws -> CatalogIndex {
        if let index {
            do { return try Progress.run("loading the index \(index)") { try IndexSnapshot.load(from: URL(fileURLWithPath: index)) } } catch {
                throw ToolError("cannot load index \(index): \(error)")
            }
        }
        let items = try Progress.run("reading the catalog") { try loadCatalog(catalog, knownCategories: knownCategories) }
        let statistics = try loadStatistics(stats, defaultPath: catalog == nil ? DefaultData.path("Corpus/stats.tsv") : nil)
        do {
            return try Progress.run("indexing \(items.count) items") {
                try IndexBuilder().build(items, corpusStatistics: statistics, threads: threads)
            }
        } catch {
            throw ToolError("cannot index the catalog: \(error)")
        }
    }
}

/// Where the catalog comes from and how it is ranked; shared by the commands that select.
struct EngineOptions: ParsableArguments {
    @OptionGroup var source: IndexOptions

    var catalog: String? { source.catalog }
    var threads: Int { source.threads }

    @Option(name: .customLong("ranker"), help: """
        Ranker: bm25 (default), tfidf, priority, priority:BLEND, mmr, mmr:LAMBDA, lottery, exec:PATH. \
        Repeat the option, or separate names with commas, to chain rankers.
        """)
    var rankers: [String] = []

    @Option(help: "Seconds an exec: ranker may take per request, writing the candidates and reading its answer (at most 3600).")
    var rankerTimeout: Double = 2

    @Option(help: "File holding the secret (16+ bytes) that seals session tokens; enables session consent. The environment variable CTXSEL_SESSION_KEY can hold it instead.")
    var sessionKeyFile: String?

    @Option(help: "Minutes without a request after which a visit's session token expires.")
    var visitMinutes: Int = 30

    @Option(help: "Folder of the page classifier: content-taxonomy-3.1.tsv, lexicons.tsv, and category-lexicon.tsv and category-calibration.tsv when present (default: the catalog folder, or ./Catalog).")
    var classifier: String?

    @Option(help: "The least coverage of an item by the page (share of the item's TF-IDF weight the page's keywords hold) for it to be shown (0...1; a request's relevance_floor overrides it; default: \(SelectionEngine.defaultRelevanceFloor), chosen on Cranfield, see README).")
    var relevanceFloor: Double?

    @Option(help: "Probability from which a sensitive category marks the page sensitive (0...1; default: the calibration's, see PRIVACY.md). Lower favours recall.")
    var sensitiveThreshold: Double?

    @Option(name: .customLong("allow-sensitive-category"), help: "A sensitive IAB category id that items may target on purpose (e.g. 286 for a health publisher); repeat.")
    var allowedSensitiveCategories: [String] = []

    func validate() throws {
        guard rankerTimeout > 0, rankerTimeout <= 3600 else { throw ValidationError("--ranker-timeout must be between 0 and 3600 seconds") }
        guard visitMinutes >= 1 else { throw ValidationError("--visit-minutes must be at least 1") }
        try checkUnitInterval(sensitiveThreshold, option: "sensitive-threshold")
        try checkUnitInterval(relevanceFloor, option: "relevance-floor")
    }

    func makeRanker() throws -> any Ranker {
        do { return try RankerRegistry.make(rankers, timeout: rankerTimeout) } catch let error as RankerError {
            // The message says what is wrong; the command's usage would only bury it.
            diagnose(error.description)
            throw ExitCode(64)
        }
    }

    func makeEngine() throws -> SelectionEngine {
        let classifier = try makeClassifier()
        let knownCategories = classifier.map { Set($0.taxonomy.categories.keys) }
        var engine = SelectionEngine(index: try source.loadIndex(knownCategories: knownCategories), ranker: try makeRanker())
        engine.sessionCodec = try makeSessionCodec()
        engine.classifier = classifier
        engine.allowedSensitiveCategories = Set(allowedSensitiveCategories)
        if let relevanceFloor { engine.relevanceFloor = relevanceFloor }
        if !allowedSensitiveCategories.isEmpty, engine.classifier == nil {
            throw ValidationError("--allow-sensitive-category needs the classifier (lexicons and taxonomy)")
        }
        return engine
    }

    /// The category classifier from --classifier or the catalog folder; nil when the folder has no lexicons.
    func makeClassifier() throws -> CategoryClassifier? {
        let folder = classifier ?? catalogFolder(catalog)
        let lexicons = [CategoryClassifier.weightedLexiconFile, CategoryClassifier.lexiconFile]
        guard lexicons.contains(where: { FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }) else {
            if classifier != nil { throw ToolError("no \(lexicons.joined(separator: " or ")) in \(folder)") }
            return nil
        }
        return try Progress.run("loading the page classifier") {
            try loadClassifier(folder: folder, sensitiveThreshold: sensitiveThreshold)
        }
    }

    /// The session codec from --session-key-file or CTXSEL_SESSION_KEY; nil when neither is set.
    func makeSessionCodec() throws -> SessionTokenCodec? {
        var secret: [UInt8]?
        if let sessionKeyFile {
            guard let data = FileManager.default.contents(atPath: sessionKeyFile) else {
                throw ToolError("cannot read the session key file \(sessionKeyFile)")
            }
            secret = Array(data)
            while let last = secret?.last, last == 0x0A || last == 0x0D { secret?.removeLast() }
        } else if let variable = ProcessInfo.processInfo.environment["CTXSEL_SESSION_KEY"], !variable.isEmpty {
            secret = Array(variable.utf8)
        }
        guard let secret else { return nil }
        do { return try SessionTokenCodec(secret: secret, visitLength: Int64(visitMinutes) * 60) } catch {
            throw ToolError("session key: \(error)")
        }
    }
}

/// The category classifier of a folder, with the deployer's `--sensitive-threshold` when given.
func loadClassifier(folder: String, sensitiveThreshold: Double? = nil) throws -> CategoryClassifier {
    var loaded: CategoryClassifier
    do { loaded = try CategoryClassifier(folder: URL(fileURLWithPath: folder)) } catch {
        throw ToolError("cannot load the page classifier in \(folder): \(error)")
    }
    if let sensitiveThreshold { loaded.calibration.sensitiveThreshold = sensitiveThreshold }
    return loaded
}

/// Refuses an option's value outside 0...1 (a probability, a share).
func checkUnitInterval(_ value: Double?, option: String) throws {
    if let value, !(0...1).contains(value) { throw ValidationError("--\(option) must be between 0 and 1") }
}

/// Where the lexicons and the taxonomy of `catalog` are looked for: the catalog itself when it is
/// a folder, else the default `Catalog/` (``DefaultData``).
func catalogFolder(_ catalog: String?) -> String {
    var isDirectory: ObjCBool = false
    guard let catalog, FileManager.default.fileExists(atPath: catalog, isDirectory: &isDirectory), isDirectory.boolValue else {
        return DefaultData.path("Catalog")
    }
    return catalog
}

/// The ids of the taxonomy where `select` would find it for `catalog` (``catalogFolder(_:)``),
/// or nil when there is none there.
func taxonomyIDs(besideCatalog catalog: String?) throws -> Set<String>? {
    let path = (catalogFolder(catalog) as NSString).appendingPathComponent("content-taxonomy-3.1.tsv")
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    do { return Set(try Taxonomy(tsv: try String(contentsOfFile: path, encoding: .utf8)).categories.keys) } catch {
        throw ToolError("cannot load the taxonomy \(path): \(error)")
    }
}

func loadCatalog(_ path: String?, knownCategories: Set<String>? = nil) throws -> [CatalogItem] {
    let resolved = path ?? DefaultData.path("Catalog")
    if path == nil, !FileManager.default.fileExists(atPath: resolved) {
        throw ToolError("no default Catalog/ found (here, in $CTXSEL_HOME, or beside the ctxsel executable): pass --catalog PATH")
    }
    do { return try CatalogLoader.load(from: URL(fileURLWithPath: resolved), knownCategories: knownCategories) } catch {
        throw ToolError("cannot load catalog: \(error)")
    }
}

func loadStatistics(_ path: String?, defaultPath: String?) throws -> CorpusStatistics {
    guard let chosen = path ?? defaultPath.flatMap({ FileManager.default.fileExists(atPath: $0) ? $0 : nil }) else {
        return CorpusStatistics()
    }
    do {
        let text = try String(contentsOfFile: chosen, encoding: .utf8)
        return try CorpusStatistics(serialized: text)
    } catch {
        throw ToolError("cannot load statistics \(chosen): \(error)")
    }
}

/// A failure of the tool itself (not of one input line), printed as `Error: …`.
struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads a file, or stdin for nil or "-".
func readInput(_ path: String?) throws -> Data {
    if path == nil || path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    do { return try Data(contentsOf: URL(fileURLWithPath: path!)) } catch {
        throw ToolError("cannot read \(path!): \(error.localizedDescription)")
    }
}

/// Writes to stderr (diagnostics never go to stdout).
func diagnose(_ message: String) {
    FileHandle.standardError.write(Data(("ctxsel: " + message + "\n").utf8))
}
