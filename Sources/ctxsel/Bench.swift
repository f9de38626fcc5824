import ArgumentParser
import Dispatch
import Foundation
import Indexing
import Selection
import SelectionCore
import TextAnalysis
import WireFormat

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the engine on the bench files: one JSON object per measurement on stdout.",
        discussion: """
            Reads a catalog ({"id", "text"} lines as in ../shared/bench, or the catalog format), pages \
            ({"id", "title", "text"}) and terms30 queries ({"page", "terms"}). Every query measurement \
            checks its own answer before it is timed: each pruned top 10 must equal exhaustive scoring \
            exactly (same ids, same order, bit-identical scores), and a checksum of the ids is printed. \
            Timings are single-threaded unless a line says `threads`, after a warm-up pass.
            """
    )

    enum Mode: String, CaseIterable, ExpressibleByArgument {
        case build, memory, terms30, page, keywords, endToEnd = "end_to_end", throughput
    }

    enum Scoring: String, CaseIterable, ExpressibleByArgument {
        case pruned, exhaustive
    }

    @Option(help: "Catalog JSON lines (the bench's {\"id\", \"text\"} or the catalog format).")
    var catalog: String?

    @Option(help: "A snapshot to load instead of building from --catalog (the build and memory modes need --catalog).")
    var index: String?

    @Option(help: "Pages JSON lines {\"id\", \"title\", \"text\"}.")
    var pages: String

    @Option(help: "terms30 queries JSON lines {\"page\", \"terms\"}.")
    var queries: String?

    @Option(help: "Timed passes over the queries and pages.")
    var passes: Int = 3

    @Option(parsing: .upToNextOption,
            help: "What to measure: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).")
    var modes: [Mode] = Mode.allCases

    @Option(help: "How the timed queries are scored: pruned (the engine's top-k) or exhaustive (every posting).")
    var scoring: Scoring = .pruned

    @Option(help: "Check every pruned top 10 against exhaustive scoring before timing; false skips it, for quick profiles.")
    var verify: Bool = true

    @Option(help: "Threads for the parallel build and the throughput run (default: every core).")
    var threads: Int?

    @Option(help: "Builds timed per thread count, one- and many-threaded in turn; the median is reported.")
    var buildRuns: Int = 3

    @Option(help: "Where to write the snapshot measured for size and load time.")
    var snapshot: String = "/tmp/ctxsel-bench.ctxidx"

    @Option(help: "With end_to_end and throughput: the relevance floor (default: the engine's).")
    var relevanceFloor: Double?

    @Option(help: "With end_to_end and throughput: classify every page with the page classifier of this folder (e.g. Catalog), as `select` does; a `classify` line reports its own time per page.")
    var classifier: String?

    func validate() throws {
        try checkUnitInterval(relevanceFloor, option: "relevance-floor")
        guard passes >= 1, buildRuns >= 1, (threads ?? 1) >= 1 else { throw ValidationError("--passes, --build-runs and --threads must be at least 1") }
    }

    /// The classifier alone, on the pages' analysed text (analysis not timed): its share of `select`.
    func measureClassifier(_ pageList: [(title: String, text: String)], classifier: CategoryClassifier) {
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        let analyzed = pageList.map { analyzer.analyze(.plainText($0.text, title: $0.title), scratch: scratch) }
        var times: [Double] = []
        var sensitive = 0
        for pass in 0..<passes {
            for page in analyzed {
                let start = DispatchTime.now().uptimeNanoseconds
                let categories = classifier.classify(page)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                if pass == 0, categories.contains(where: \.isSensitive) { sensitive += 1 }
            }
        }
        emit(["mode": "classify", "threads": 1, "pages": analyzed.count, "p50_ms": Self.percentile(times, 0.5),
              "p99_ms": Self.percentile(times, 0.99), "sensitive_pages": sensitive])
    }

    func run() throws {
        let wanted = Set(modes)
        let cores = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let pageList = try Self.lines(pages).map { json -> (title: String, text: String) in
            (Self.string(json["title"]), Self.string(json["text"]))
        }
        let analyzer = Analyzer()
        let index: CatalogIndex
        if let snapshotPath = self.index {
            let (loaded, seconds) = try Self.timed { try IndexSnapshot.load(from: URL(fileURLWithPath: snapshotPath)) }
            emit(["mode": "snapshot_load", "catalog_items": loaded.items.count, "seconds": seconds])
            index = loaded
        } else {
            guard let catalog else { throw ToolError("bench needs --catalog or --index") }
            index = try build(try Self.loadCatalog(catalog), analyzer: analyzer, wanted: wanted, threads: cores)
        }
        let scratch = AnalysisScratch()
        if wanted.contains(.terms30), let queries {
            let terms30 = try Self.lines(queries).map { json -> [WeightedTerm] in
                guard case .array(let words)? = json["terms"] else { return [] }
                let analysed = words.flatMap { analyzer.tokens(in: Self.string($0), scratch: scratch).map(\.term) }
                return Array(Set(analysed)).sorted().map { WeightedTerm($0) }
            }
            try measureQueries("terms30", terms30, index: index)
        }
        if wanted.contains(.page) {
            let pageQueries = pageList.map { page in
                Array(Set(analyzer.tokens(in: page.title + "\n" + page.text, scratch: scratch).map(\.term))).sorted()
                    .map { WeightedTerm($0) }
            }
            try measureQueries("page", pageQueries, index: index)
        }

        var configured = SelectionEngine(index: index)
        if let classifier {
            let (loaded, seconds) = try Self.timed { try loadClassifier(folder: classifier) }
            emit(["mode": "classifier_load", "seconds": seconds])
            configured.classifier = loaded
            measureClassifier(pageList, classifier: loaded)
        }
        if let relevanceFloor { configured.relevanceFloor = relevanceFloor }
        let engine = configured
        if wanted.contains(.keywords) { measureKeywords(pageList, engine: engine, catalogItems: index.items.count) }
        guard wanted.contains(.endToEnd) || wanted.contains(.throughput) else { return }

        // End to end: page text → keywords → top-10 selections with explanations.
        let requests = pageList.map {
            SelectionRequest(page: .init(title: $0.title, text: $0.text), slots: [.init(id: "s", count: 10)], explain: true)
        }
        for request in requests.prefix(20) { _ = try? engine.select(request, scratch: scratch) }
        var times: [Double] = []
        var checksum = Self.checksumSeed
        for pass in 0..<passes {
            for request in requests {
                let start = DispatchTime.now().uptimeNanoseconds
                let response = try engine.select(request, scratch: scratch)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                if pass == 0 { for item in response.slots[0].items { checksum = Self.mix(checksum, item.candidate.item.id) } }
            }
        }
        let oneThreadQPS = Double(times.count) / (times.reduce(0, +) / 1000)
        if wanted.contains(.endToEnd) {
            emit(["mode": "end_to_end", "threads": 1, "catalog_items": index.items.count, "queries": requests.count,
                  "p50_ms": Self.percentile(times, 0.5), "p99_ms": Self.percentile(times, 0.99), "qps": oneThreadQPS,
                  "checksum": String(checksum, radix: 16)])
        }
        if wanted.contains(.throughput) {
            // The same requests split across threads, each with its own scratch, checked against
            // the single-threaded answers.
            let expected = try requests.map { try engine.select($0, scratch: scratch).slots[0].items.map(\.candidate.item.id) }
            let total = requests.count * passes
            let disagreements = Counter()
            let started = Date()
            DispatchQueue.concurrentPerform(iterations: cores) { worker in
                let local = AnalysisScratch()
                var index = worker
                while index < total {
                    let ids = (try? engine.select(requests[index % requests.count], scratch: local))?
                        .slots[0].items.map(\.candidate.item.id)
                    if ids != expected[index % requests.count] { disagreements.add() }
                    index += cores
                }
            }
            let parallelQPS = Double(total) / Date().timeIntervalSince(started)
            guard disagreements.value == 0 else {
                throw ToolError("throughput: \(disagreements.value) answers differ from the single-threaded ones")
            }
            emit(["mode": "end_to_end", "threads": cores, "catalog_items": index.items.count, "queries": total,
                  "qps": parallelQPS, "speedup": parallelQPS / oneThreadQPS])
        }
    }

    /// Builds the index (once on one thread and once on `threads` when builds are measured) and
    /// measures its memory and snapshot when asked.
    func build(_ items: [CatalogItem], analyzer: Analyzer, wanted: Set<Mode>, threads cores: Int) throws -> CatalogIndex {
        let rssBefore = Self.residentBytes()
        guard wanted.contains(.build) else {
            let index = try IndexBuilder(analyzer: analyzer).build(items, threads: cores)
            return try finishBuild(index, items: items, rssGrowth: Self.residentBytes() - rssBefore, wanted: wanted)
        }
        // Alternating builds, so that a noisy spell of the machine hits both thread counts.
        var serialSeconds: [Double] = [], parallelSeconds: [Double] = []
        // The first many-threaded index is kept, and the RSS growth taken beside it.
        var index: CatalogIndex?
        var rssGrowth = 0
        for _ in 0..<max(1, buildRuns) {
            serialSeconds.append(try Self.timed { try IndexBuilder(analyzer: analyzer).build(items, threads: 1) }.1)
            let (built, seconds) = try Self.timed { try IndexBuilder(analyzer: analyzer).build(items, threads: cores) }
            parallelSeconds.append(seconds)
            if index == nil {
                index = built
                rssGrowth = Self.residentBytes() - rssBefore
            }
        }
        for (threads, runs) in [(1, serialSeconds), (cores, parallelSeconds)] {
            let seconds = Self.percentile(runs, 0.5)
            emit(["mode": "index_build", "threads": threads, "catalog_items": items.count, "seconds": seconds,
                  "items_per_s": Double(items.count) / seconds, "runs": runs.count])
        }
        return try finishBuild(index!, items: items, rssGrowth: rssGrowth, wanted: wanted)
    }

    /// The memory measurement of a built index: its structures, RSS growth, snapshot size and load.
    func finishBuild(_ index: CatalogIndex, items: [CatalogItem], rssGrowth: Int, wanted: Set<Mode>) throws -> CatalogIndex {
        if wanted.contains(.memory) {
            try IndexSnapshot.write(index, to: URL(fileURLWithPath: snapshot))
            let snapshotBytes = (try FileManager.default.attributesOfItem(atPath: snapshot)[.size] as? Int) ?? 0
            let (loaded, loadSeconds) = try Self.timed { try IndexSnapshot.load(from: URL(fileURLWithPath: snapshot)) }
            guard loaded.postingCount == index.postingCount, loaded.termCount == index.termCount else {
                throw ToolError("the snapshot loaded back differs from the index written")
            }
            emit(["mode": "index_memory", "catalog_items": items.count, "index_bytes": index.structureBytes,
                  "rss_bytes": rssGrowth, "snapshot_bytes": snapshotBytes, "snapshot_load_s": loadSeconds,
                  "terms": index.termCount, "postings": index.postingCount])
        }
        return index
    }

    /// Checks every query's pruned top 10 against exhaustive scoring, then times `passes` passes
    /// after one warm-up pass.
    func measureQueries(_ mode: String, _ queries: [[WeightedTerm]], index: CatalogIndex) throws {
        var checksum = Self.checksumSeed
        var differing: [Int] = []
        for (number, query) in queries.enumerated() {
            let pruned = index.search(query, limit: 10)
            if verify {
                let exhaustive = index.exhaustiveSearch(query, limit: 10)
                if pruned.map(\.document) != exhaustive.map(\.document) || pruned.map(\.score) != exhaustive.map(\.score) {
                    differing.append(number)
                }
            }
            for result in pruned { checksum = Self.mix(checksum, index.items[result.document].id) }
        }
        guard differing.isEmpty else {
            throw ToolError("\(mode): \(differing.count) queries differ from exhaustive scoring (first: query \(differing[0] + 1))")
        }
        let search: ([WeightedTerm]) -> [ScoredItem] = scoring == .pruned
            ? { index.search($0, limit: 10) } : { index.exhaustiveSearch($0, limit: 10) }
        var times: [Double] = []
        var results = 0
        for pass in 0...passes {
            for query in queries {
                let start = DispatchTime.now().uptimeNanoseconds
                let count = search(query).count
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                if pass > 0 {
                    times.append(elapsed)
                    results += count
                }
            }
        }
        emit(["mode": mode, "scoring": scoring.rawValue, "catalog_items": index.items.count, "queries": queries.count,
              "p50_ms": Self.percentile(times, 0.5), "p99_ms": Self.percentile(times, 0.99),
              "qps": Double(times.count) / (times.reduce(0, +) / 1000), "results": results / max(1, passes),
              "checksum": String(checksum, radix: 16), "verified_against_exhaustive": verify])
    }

    /// Keyword extraction (analysis and keywords), page by page, after a warm-up pass.
    func measureKeywords(_ pageList: [(title: String, text: String)], engine: SelectionEngine, catalogItems: Int) {
        let scratch = AnalysisScratch()
        let megabytes = Double(pageList.reduce(0) { $0 + $1.text.utf8.count + $1.title.utf8.count }) / 1_000_000
        var checksum = Self.checksumSeed
        for page in pageList {
            for keyword in engine.read(.init(title: page.title, text: page.text), scratch: scratch).keywords {
                checksum = Self.mix(checksum, keyword.term)
            }
        }
        var times: [Double] = []
        var keywordCount = 0
        for _ in 0..<passes {
            for page in pageList {
                let start = DispatchTime.now().uptimeNanoseconds
                keywordCount += engine.read(.init(title: page.title, text: page.text), scratch: scratch).keywords.count
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        }
        let seconds = times.reduce(0, +) / 1000
        emit(["mode": "keywords", "catalog_items": catalogItems, "queries": pageList.count,
              "p50_ms": Self.percentile(times, 0.5), "p99_ms": Self.percentile(times, 0.99),
              "mb_per_s": megabytes * Double(passes) / seconds, "keywords": keywordCount / max(1, passes),
              "checksum": String(checksum, radix: 16)])
    }

    func emit(_ fields: [String: Any]) {
        let ordered = fields.keys.sorted { $0 == "mode" ? true : ($1 == "mode" ? false : $0 < $1) }
        let value = JSONValue.object(ordered.map { key in
            switch fields[key] {
            case let number as Int: (key, .number(Double(number)))
            case let number as Double: (key, .number((number * 10_000).rounded() / 10_000))
            case let flag as Bool: (key, .bool(flag))
            case let text as String: (key, .string(text))
            default: (key, .null)
            }
        })
        FileHandle.standardOutput.write(Data((JSONWriter.string(value) + "\n").utf8))
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func lines(_ path: String) throws -> [JSONValue] {
        let text = String(decoding: try readInput(path), as: UTF8.self)
        return try text.split(separator: "\n").enumerated().map { offset, line in
            do { return try JSONParser.parse(String(line)) } catch { throw ToolError("\(path):\(offset + 1): \(error)") }
        }
    }

    static func loadCatalog(_ path: String) throws -> [CatalogItem] {
        let first = try lines(path)
        if first.first?["title"] != nil { return try CatalogLoader.load(from: URL(fileURLWithPath: path)) }
        return first.map { CatalogItem(id: string($0["id"]), title: "", body: string($0["text"])) }
    }

    static func string(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .number(let number)?: String(Int(number))
        default: ""
        }
    }

    static func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }

    static let checksumSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    /// FNV-1a over the text's bytes, continuing from `hash`.
    static func mix(_ hash: UInt64, _ text: String) -> UInt64 {
        var hash = hash
        for byte in text.utf8 { hash ^= UInt64(byte); hash &*= 0x0000_0100_0000_01B3 }
        return hash
    }

    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }
}

/// A count that several threads add to.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
