import ArgumentParser
import Dispatch
import Foundation
import Indexing
import Selection
import SelectionCore
import TextAnalysis

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the engine on the bench files: one JSON object per measurement on stdout.",
        discussion: """
            Reads a catalog ({"id", "text"} lines as in ../shared/bench, or the catalog format), pages \
            ({"id", "title", "text"}) and terms30 queries ({"page", "terms"}). Each query measurement \
            warms up first and checks its answer: the top-10 ids of every pruned (MaxScore) search are \
            compared with exhaustive scoring, and a checksum of all of them is printed.
            """
    )

    @Option(help: "Catalog JSON lines (the bench's {\"id\", \"text\"} or the catalog format).")
    var catalog: String

    @Option(help: "Pages JSON lines {\"id\", \"title\", \"text\"}.")
    var pages: String

    @Option(help: "terms30 queries JSON lines {\"page\", \"terms\"}.")
    var queries: String?

    @Option(help: "Timed passes over the queries and pages.")
    var passes: Int = 3

    @Option(help: "Where to write the snapshot measured for size and load time.")
    var snapshot: String = "/tmp/ctxsel-bench.ctxidx"

    func run() throws {
        let items = try Self.loadCatalog(catalog)
        let pageList = try Self.lines(pages).map { json -> (title: String, text: String) in
            (Self.string(json["title"]), Self.string(json["text"]))
        }
        let analyzer = Analyzer()
        let rssBefore = Self.residentBytes()

        var started = Date()
        let single = try IndexBuilder(analyzer: analyzer).build(items, threads: 1)
        let singleSeconds = Date().timeIntervalSince(started)
        emit(["mode": "index_build", "threads": 1, "catalog_items": items.count, "seconds": singleSeconds,
              "items_per_s": Double(items.count) / singleSeconds])
        let cores = ProcessInfo.processInfo.activeProcessorCount
        started = Date()
        let index = try IndexBuilder(analyzer: analyzer).build(items, threads: cores)
        let parallelSeconds = Date().timeIntervalSince(started)
        emit(["mode": "index_build", "threads": cores, "catalog_items": items.count, "seconds": parallelSeconds,
              "items_per_s": Double(items.count) / parallelSeconds])
        _ = single
        try IndexSnapshot.write(index, to: URL(fileURLWithPath: snapshot))
        let snapshotBytes = (try FileManager.default.attributesOfItem(atPath: snapshot)[.size] as? Int) ?? 0
        started = Date()
        _ = try IndexSnapshot.load(from: URL(fileURLWithPath: snapshot))
        emit(["mode": "index_memory", "catalog_items": items.count, "index_bytes": index.structureBytes,
              "rss_bytes": Self.residentBytes() - rssBefore, "snapshot_bytes": snapshotBytes,
              "snapshot_load_s": Date().timeIntervalSince(started), "terms": index.termCount, "postings": index.postingCount])

        let scratch = AnalysisScratch()
        if let queries {
            let terms30 = try Self.lines(queries).map { json -> [WeightedTerm] in
                guard case .array(let words)? = json["terms"] else { return [] }
                let analysed = words.flatMap { analyzer.tokens(in: Self.string($0), scratch: scratch).map(\.term) }
                return Array(Set(analysed)).sorted().map { WeightedTerm($0) }
            }
            try measureQueries("terms30", terms30, index: index, itemCount: items.count)
        }
        let pageQueries = pageList.map { page in
            Array(Set(analyzer.tokens(in: page.title + "\n" + page.text, scratch: scratch).map(\.term))).sorted().map { WeightedTerm($0) }
        }
        try measureQueries("page", pageQueries, index: index, itemCount: items.count)

        // Keyword extraction: analysis + keywords, page by page.
        let engine = SelectionEngine(index: index)
        let megabytes = Double(pageList.reduce(0) { $0 + $1.text.utf8.count + $1.title.utf8.count }) / 1_000_000
        for page in pageList.prefix(20) { _ = engine.read(.init(title: page.title, text: page.text), scratch: scratch) }
        var keywordTimes: [Double] = []
        var keywordCount = 0
        for _ in 0..<passes {
            for page in pageList {
                let start = DispatchTime.now().uptimeNanoseconds
                keywordCount += engine.read(.init(title: page.title, text: page.text), scratch: scratch).keywords.count
                keywordTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        }
        let keywordSeconds = keywordTimes.reduce(0, +) / 1000
        emit(["mode": "keywords", "catalog_items": items.count, "queries": pageList.count, "p50_ms": Self.percentile(keywordTimes, 0.5),
              "p99_ms": Self.percentile(keywordTimes, 0.99), "mb_per_s": megabytes * Double(passes) / keywordSeconds,
              "keywords": keywordCount / passes])

        // End to end: page text → keywords → top-10 selections with explanations.
        let requests = pageList.map { SelectionRequest(page: .init(title: $0.title, text: $0.text), slots: [.init(id: "s", count: 10)], explain: true) }
        for request in requests.prefix(20) { _ = try? engine.select(request, scratch: scratch) }
        var times: [Double] = []
        var checksum: UInt64 = 0xcbf2_9ce4_8422_2325
        for pass in 0..<passes {
            for request in requests {
                let start = DispatchTime.now().uptimeNanoseconds
                let response = try engine.select(request, scratch: scratch)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                if pass == 0 { for item in response.slots[0].items { checksum = Self.mix(checksum, item.candidate.item.id) } }
            }
        }
        let oneThreadQPS = Double(times.count) / (times.reduce(0, +) / 1000)
        emit(["mode": "end_to_end", "threads": 1, "catalog_items": items.count, "queries": requests.count,
              "p50_ms": Self.percentile(times, 0.5), "p99_ms": Self.percentile(times, 0.99), "qps": oneThreadQPS,
              "checksum": String(checksum, radix: 16)])

        // Throughput on every core: the same requests split across threads, each with its own scratch.
        started = Date()
        let total = requests.count * passes
        DispatchQueue.concurrentPerform(iterations: cores) { worker in
            let local = AnalysisScratch()
            var index = worker
            while index < total {
                _ = try? engine.select(requests[index % requests.count], scratch: local)
                index += cores
            }
        }
        let parallelQPS = Double(total) / Date().timeIntervalSince(started)
        emit(["mode": "end_to_end", "threads": cores, "catalog_items": items.count, "queries": total, "qps": parallelQPS,
              "speedup": parallelQPS / oneThreadQPS])
    }

    /// Times every query `passes` times (after one warm-up pass) and checks the pruned top 10
    /// against exhaustive scoring.
    func measureQueries(_ mode: String, _ queries: [[WeightedTerm]], index: CatalogIndex, itemCount: Int) throws {
        var mismatches = 0
        var checksum: UInt64 = 0xcbf2_9ce4_8422_2325
        for query in queries {
            let pruned = index.search(query, limit: 10)
            let exhaustive = index.exhaustiveSearch(query, limit: 10)
            if zip(pruned, exhaustive).contains(where: { abs($0.score - $1.score) > 1e-9 }) || pruned.count != exhaustive.count {
                mismatches += 1
            }
            for result in pruned { checksum = Self.mix(checksum, index.items[result.document].id) }
        }
        guard mismatches == 0 else { throw ToolError("\(mode): \(mismatches) queries differ from exhaustive scoring") }
        var times: [Double] = []
        var results = 0
        for _ in 0..<passes {
            for query in queries {
                let start = DispatchTime.now().uptimeNanoseconds
                results += index.search(query, limit: 10).count
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        }
        emit(["mode": mode, "catalog_items": itemCount, "queries": queries.count, "p50_ms": Self.percentile(times, 0.5),
              "p99_ms": Self.percentile(times, 0.99), "qps": Double(times.count) / (times.reduce(0, +) / 1000),
              "results": results / passes, "checksum": String(checksum, radix: 16), "verified_against_exhaustive": true])
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
