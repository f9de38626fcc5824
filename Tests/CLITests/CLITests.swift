import Contract
import Foundation
import Selection
import Testing
import WireFormat

/// Runs the built `ctxsel` binary, as a user would.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

let temporaryFolder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

/// The package's folder (this file is Tests/CLITests/CLITests.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func executableURL() -> URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ctxsel")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return packageRoot.appendingPathComponent(".build/debug/ctxsel")
}

@discardableResult
func write(_ text: String, to name: String) throws -> String {
    let url = temporaryFolder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

func run(_ arguments: [String], stdinFile: String? = nil) throws -> CommandResult {
    try runProgram(executableURL(), arguments, stdinFile: stdinFile)
}

/// Runs any program to its end in `folder`, the environment given added to this process's,
/// stdout and stderr through files (no pipe can fill up and stall it).
func runProgram(_ executable: URL, _ arguments: [String], in folder: URL = temporaryFolder,
                environment: [String: String] = [:], stdinFile: String? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = folder
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = temporaryFolder.appendingPathComponent("out-\(UUID().uuidString)")
    let err = temporaryFolder.appendingPathComponent("err-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = stdinFile.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                         stderr: try String(contentsOf: err, encoding: .utf8))
}

let catalogText = """
    {"id": "ad:tea", "kind": "ad", "advertiser": "Kettle Co", "title": "Loose-leaf green tea", "body": "Green and oolong tea.", "keywords": ["tea"]}
    {"id": "ad:coffee", "kind": "ad", "advertiser": "Bean Co", "title": "Espresso machines", "body": "Coffee at home.", "keywords": ["coffee"]}
    {"id": "content:guide", "title": "How to brew green tea", "body": "Water temperature and steeping time for tea leaves."}
    {"id": "house:news", "kind": "house", "title": "Our newsletter", "body": "Weekly, no tracking."}
    """

func parse(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

@Suite(.serialized) struct CLITests {
    let catalog: String

    init() throws { catalog = try write(catalogText, to: "catalog.jsonl") }

    @Test func helpDocumentsTheOptions() throws {
        let result = try run(["select", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("mmr:LAMBDA, lottery, exec:PATH"), "--ranker lists every built-in")
        for option in ["--catalog", "--index", "--ranker", "--ranker-timeout", "--max-line-bytes", "--stats", "--threads"] {
            #expect(result.stdout.contains(option), "help must mention \(option)")
        }
        let top = try run(["--help"])
        for command in ["select", "keywords", "index", "stats"] { #expect(top.stdout.contains(command)) }
    }

    @Test func keywordsHelpListsOnlyWhatKeywordsUses() throws {
        let result = try run(["keywords", "--help"])
        #expect(result.status == 0)
        for used in ["--catalog", "--index", "--stats", "--top", "--lang", "--format"] {
            #expect(result.stdout.contains(used), "keywords --help lists \(used)")
        }
        for unused in ["--ranker", "--session-key-file", "--visit-minutes", "--lexicons", "--allow-sensitive-category"] {
            #expect(!result.stdout.contains(unused), "keywords --help does not list \(unused), which it ignores")
        }
        #expect(try run(["bench", "--help"]).stdout.contains("Check every pruned top 10"))
    }

    @Test func benchRefusesOptionsOutOfRangeBeforeReadingAnything() throws {
        for (arguments, message) in [(["--relevance-floor", "2"], "--relevance-floor must be between 0 and 1"),
                                     (["--passes", "0"], "--passes, --build-runs and --threads must be at least 1")] {
            let result = try run(["bench", "--catalog", "/nonexistent", "--pages", "/nonexistent"] + arguments)
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func badLinesGetErrorRecordsAndTheStreamGoesOn() throws {
        let input = try write("""
            {"id": "ok-1", "page": {"title": "green tea"}}
            {"id": "bad", "page": {"title": 
            {"id": "no-page"}

            [1]
            {"id": "who", "page": {"title": "tea"}, "user": {"email": "someone@example.org"}}
            {"id": "ok-2", "page": {"text": "espresso coffee"}, "slots": [{"id": "s", "count": 1, "kinds": ["ad"]}]}
            """, to: "mixed.jsonl")
        let result = try run(["select", "--catalog", catalog, input])
        #expect(result.status == 1)
        #expect(result.stderr.contains("4 line(s) failed"))
        let lines = result.lines
        #expect(lines.count == 6, "one output per non-blank line: \(lines)")
        let records = try lines.map(parse)
        #expect(records[0]["id"] as? String == "ok-1")
        let errors = records.compactMap { $0["error"] as? [String: Any] }
        #expect(errors.map { $0["code"] as? String } == ["invalid_json", "missing_field", "invalid_type", "identity_field"])
        #expect(records.compactMap { $0["line"] as? Int } == [2, 3, 5, 6])
        #expect(records[1]["id"] is NSNull, "unparseable lines have no id")
        #expect(records[2]["id"] as? String == "no-page")
        #expect(errors[3]["field"] as? String == "user")
        #expect(!result.stdout.contains("someone@example.org"), "identity values are never echoed")
        let slots = try #require(records[5]["slots"] as? [[String: Any]])
        let items = try #require(slots[0]["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == ["ad:coffee"])
    }

    @Test func lineNumbersCountEveryLineOfEveryFile() throws {
        let first = try write("{\"page\":{\"title\":\"x\"}}\n\n\n\n", to: "trailing-blanks.jsonl")
        let second = try write("bad\n", to: "bad.jsonl")
        let result = try run(["select", "--catalog", catalog, first, second])
        #expect(result.status == 1)
        #expect(result.lines.count == 2)
        #expect(try parse(result.lines[1])["line"] as? Int == 5, "\(result.lines)")
    }

    @Test func unknownCategoryIDsInACatalogAreNamedByFileLineAndField() throws {
        let folder = temporaryFolder.appendingPathComponent("catalog-with-taxonomy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["content-taxonomy-3.1.tsv", "lexicons.tsv"] {
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Catalog/\(name)"), to: folder.appendingPathComponent(name))
        }
        try "{\"id\": \"a\", \"title\": \"Tea\", \"categories\": [\"483\"]}\n{\"id\": \"b\", \"title\": \"Pots\", \"categories\": [\"42x\"]}\n"
            .write(to: folder.appendingPathComponent("items.jsonl"), atomically: true, encoding: .utf8)
        for command in [["select", "--catalog", folder.path], ["index", "--catalog", folder.path, "--output", folder.appendingPathComponent("x.ctxidx").path]] {
            let result = try run(command)
            #expect(result.status != 0, "\(command[0])")
            #expect(result.stderr.contains("items.jsonl:2 item \"b\" field categories[0]: \"42x\" is not an IAB Content Taxonomy 3.1 id"),
                    "\(command[0]): \(result.stderr)")
        }
    }

    @Test func anEmptyCatalogFailsClearly() throws {
        let empty = try write("# no items yet\n", to: "empty.jsonl")
        let result = try run(["select", "--catalog", empty])
        #expect(result.status != 0)
        #expect(result.stderr.contains("holds no items"), "\(result.stderr)")
    }

    @Test func emptyInputGivesNoOutput() throws {
        let empty = try write("", to: "empty.jsonl")
        let result = try run(["select", "--catalog", catalog], stdinFile: empty)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
    }

    @Test func hugeLinesAreRefusedWithoutLosingTheNext() throws {
        let huge = "{\"id\": \"huge\", \"page\": {\"text\": \"" + String(repeating: "tea ", count: 2_600_000) + "\"}}"
        let input = try write(huge + "\n{\"id\": \"after\", \"page\": {\"title\": \"tea\"}}\n", to: "huge.jsonl")
        let result = try run(["select", "--catalog", catalog, input])
        #expect(result.status == 1)
        let records = try result.lines.map(parse)
        #expect(records.count == 2)
        #expect((records[0]["error"] as? [String: Any])?["code"] as? String == "line_too_long")
        #expect(records[0]["line"] as? Int == 1)
        #expect(records[1]["id"] as? String == "after")
    }

    @Test func theSameInputGivesByteIdenticalOutput() throws {
        let input = try write("""
            {"id": "a", "page": {"html": "<title>Tea</title><p>green tea and oolong</p>"}, "explain": true}
            {"id": "b", "page": {"text": "coffee"}, "slots": [{"id": "x", "count": 2}, {"id": "y", "count": 2}]}
            {"id": "c", "page": {"title": "anything"}, "consent": {"level": "none"}}
            {"id": "d", "page": {"text": "green tea, black tea, oolong tea and a kettle for tea"}, "slots": [{"id": "s", "count": 3}], "ranker": "bm25,mmr:0.5", "explain": true}
            """, to: "determinism.jsonl")
        let first = try run(["select", "--catalog", catalog, input])
        #expect(first.status == 0)
        #expect(first.lines.count == 4)
        // Separate processes hash with separate seeds: no sum may follow a dictionary's order.
        for threads in ["1", "2", "1"] {
            let again = try run(["select", "--catalog", catalog, "--threads", threads, input])
            #expect(first.stdout == again.stdout)
        }
    }

    @Test func aSnapshotAnswersLikeTheCatalog() throws {
        let snapshot = temporaryFolder.appendingPathComponent("index.ctxidx").path
        let built = try run(["index", "--catalog", catalog, "--output", snapshot])
        #expect(built.status == 0, "\(built.stderr)")
        let input = try write("""
            {"id": "a", "page": {"text": "green tea leaves"}, "explain": true}
            {"id": "b", "page": {"text": "espresso coffee at home"}}
            """, to: "snapshot.jsonl")
        let fromCatalog = try run(["select", "--catalog", catalog, input])
        let fromSnapshot = try run(["select", "--index", snapshot, input])
        #expect(fromSnapshot.status == 0)
        #expect(fromSnapshot.stdout == fromCatalog.stdout)
    }

    @Test func corruptAndForeignSnapshotsFailClearly() throws {
        let foreign = try write("{\"not\": \"an index\"}", to: "foreign.ctxidx")
        let result = try run(["select", "--index", foreign])
        #expect(result.status != 0)
        #expect(result.stderr.contains("not a ctxsel index snapshot"))
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownRankersAndOptionsFailBeforeReading() throws {
        let result = try run(["select", "--catalog", catalog, "--ranker", "magic"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown ranker"))
        #expect(result.stderr.contains("mmr, lottery"), "the message lists every built-in: \(result.stderr)")
        #expect(!result.stderr.contains("USAGE"), "the message, not the usage: \(result.stderr)")
        let badCatalog = try write("{\"id\": \"x\"}\n", to: "bad-catalog.jsonl")
        let loading = try run(["select", "--catalog", badCatalog])
        #expect(loading.status != 0)
        #expect(loading.stderr.contains("bad-catalog.jsonl:1 item \"x\" field title"))
    }

    @Test func rankersChainFromTheCommandLine() throws {
        let input = try write("{\"id\": \"a\", \"page\": {\"text\": \"green tea\"}}\n", to: "chain.jsonl")
        let result = try run(["select", "--catalog", catalog, "--ranker", "tfidf", "--ranker", "priority:0.2", input])
        #expect(result.status == 0)
        let record = try parse(try #require(result.lines.first))
        let slots = try #require(record["slots"] as? [[String: Any]])
        let items = try #require(slots.first?["items"] as? [[String: Any]])
        let why = try #require(items.first?["why"] as? [String: Any])
        let score = try #require(why["score"] as? [String: Any])
        #expect((score["description"] as? String)?.hasPrefix("priority:") == true)
    }

    @Test func keywordsOfAnHTMLFile() throws {
        let page = try write("""
            <html lang="en"><head><title>Brewing green tea</title></head>
            <body><nav>Home Shop Cart</nav><p>Green tea leaves steep in water. Steep the tea briefly.</p></body></html>
            """, to: "page.html")
        let result = try run(["keywords", "--catalog", catalog, "--top", "3", page])
        #expect(result.status == 0, "\(result.stderr)")
        let record = try parse(try #require(result.lines.first))
        let keywords = try #require(record["keywords"] as? [[String: Any]])
        #expect(keywords.count <= 3)
        #expect(keywords.first?["term"] as? String == "tea")
        #expect(!result.stdout.contains("cart"), "navigation is not page content")
        let text = try run(["keywords", "--catalog", catalog, "--format", "text", page])
        #expect(text.lines.first?.hasPrefix("1.0000\ttea") == true, "\(text.stdout)")
    }

    @Test func responsesAreFlushedLineByLine() throws {
        let process = Process()
        process.executableURL = executableURL()
        process.arguments = ["select", "--catalog", catalog]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // With stdin still open, the first answer must arrive before any more input is sent.
        try input.fileHandleForWriting.write(contentsOf: Data("{\"id\": \"first\", \"page\": {\"title\": \"tea\"}}\n".utf8))
        let answered = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var firstLine = Data()
        DispatchQueue.global().async {
            while !firstLine.contains(0x0A) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                firstLine.append(chunk)
            }
            answered.signal()
        }
        #expect(answered.wait(timeout: .now() + 60) == .success, "no answer while stdin stayed open")
        #expect(String(decoding: firstLine, as: UTF8.self).contains("\"id\":\"first\""))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

@Suite(.serialized) struct EvaluateCLITests {
    let fixtures = packageRoot.appendingPathComponent("Tests/EvaluationTests/Fixtures")

    @Test func scoresRunsInTrecEvalFormat() throws {
        let result = try run(["evaluate", "--qrels", fixtures.appendingPathComponent("small.qrels").path,
                              "--run", fixtures.appendingPathComponent("small.run").path, "--format", "trec", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("map                   \tq1\t"))
        #expect(result.stdout.contains("runid                 \tall\tsmall"))
        let expected = try String(contentsOf: fixtures.appendingPathComponent("small.expected"), encoding: .utf8)
        let mapAll = try #require(expected.split(separator: "\n").first { $0.hasPrefix("map\tall\t") })
        let value = Double(mapAll.split(separator: "\t")[2])!
        #expect(result.stdout.contains("map                   \tall\t" + String(format: "%.4f", value)))
    }

    @Test func duplicateDocumentsFailTheRun() throws {
        let result = try run(["evaluate", "--qrels", fixtures.appendingPathComponent("small.qrels").path,
                              "--run", fixtures.appendingPathComponent("duplicate.run").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("duplicate document d1"))
    }

    @Test func runsRankersOnALabeledCorpus() throws {
        let folder = temporaryFolder.appendingPathComponent("labeled")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            {"id": "1", "title": "green tea", "text": "brewing green tea leaves"}
            {"id": "2", "title": "coffee", "text": "espresso coffee beans"}
            {"id": "3", "title": "bicycles", "text": "repairing a bicycle chain"}
            """.write(to: folder.appendingPathComponent("docs.jsonl"), atomically: true, encoding: .utf8)
        try """
            {"id": "1", "text": "how to brew tea"}
            {"id": "2", "text": "espresso beans"}
            """.write(to: folder.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "1 0 1 2\n1 0 2 0\n2 0 2 1\n".write(to: folder.appendingPathComponent("qrels.txt"), atomically: true, encoding: .utf8)
        let runs = temporaryFolder.appendingPathComponent("runs").path
        let result = try run(["evaluate", "--corpus", folder.path, "--ranker", "bm25", "--ranker", "tfidf",
                              "--runs-dir", runs, "--format", "json", "--permutations", "1000"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("bm25: ") && result.stderr.contains("/bm25.run"), "each run's file is named on stderr")
        #expect(!result.stderr.contains("2/2"), "progress only on a terminal: \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: runs + "/bm25.run"))
        #expect(try String(contentsOfFile: runs + "/tfidf.run", encoding: .utf8).hasPrefix("1 Q0 1 1 "))
        let report = try parse(result.stdout.trimmingCharacters(in: .newlines))
        let summaries = try #require(report["runs"] as? [[String: Any]])
        #expect(summaries.count == 2)
        let summary = try #require(summaries[0]["summary"] as? [String: Any])
        #expect(summary["map"] as? Double == 1)
        #expect((report["comparisons"] as? [Any])?.count == 5)
    }

    @Test func reportsTheQualityOfSelectionOutput() throws {
        let catalog = try write(catalogText, to: "quality-catalog.jsonl")
        let requests = try write("""
            {"id": "a", "page": {"text": "green tea"}, "slots": [{"id": "s", "count": 2}]}
            {"id": "b", "page": {"text": "espresso coffee"}, "slots": [{"id": "s", "count": 4, "kinds": ["ad"]}]}
            """, to: "quality-requests.jsonl")
        let selected = try run(["select", "--catalog", catalog, requests])
        #expect(selected.status == 0)
        let output = try write(selected.stdout, to: "quality-selections.jsonl")
        let result = try run(["evaluate", "--selections", output, "--catalog", catalog, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let quality = try parse(result.stdout.trimmingCharacters(in: .newlines))
        #expect(quality["lists"] as? Int == 2)
        let filled = selected.lines.map { line in
            ((try? parse(line))?["slots"] as? [[String: Any]])?.first?["items"] as? [Any] ?? []
        }.reduce(0) { $0 + $1.count }
        #expect(abs((quality["fill_rate"] as? Double ?? -1) - Double(filled) / 6) < 1e-12)
        for format in ["trec", "html"] {
            let refused = try run(["evaluate", "--selections", output, "--catalog", catalog, "--format", format])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("--selections writes json or markdown, not \(format)"), "\(refused.stderr)")
        }
        let runs = try (0..<4).map { _ in try run(["evaluate", "--selections", output, "--catalog", catalog, "--format", "json"]).stdout }
        #expect(Set(runs).count == 1, "the same selections give the same report in every process: \(runs)")
    }

    @Test func measuresSensitivePageDetection() throws {
        let result = try run(["evaluate", "--sensitivity", packageRoot.appendingPathComponent("Corpus/sensitivity/pages.jsonl").path,
                              "--catalog", packageRoot.appendingPathComponent("Catalog").path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try parse(result.stdout.trimmingCharacters(in: .newlines))
        #expect(report["pages"] as? Int == 123)
        #expect(report["sensitive_pages"] as? Int == 29)
        let precision = try #require(report["precision"] as? Double), recall = try #require(report["recall"] as? Double)
        #expect(precision > 0 && precision <= 1 && recall > 0 && recall <= 1)
        let interval = try #require(report["recall_95"] as? [String: Double])
        #expect(interval["low"]! <= recall && recall <= interval["high"]!, "\(interval)")
    }

    @Test func measuresEveryKindOfLabeledPageAndCategoryAccuracy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-labeled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pages = folder.appendingPathComponent("pages.jsonl")
        try """
            {"id": "war", "kind": "news", "title": "Dozens killed as fighting spreads", "text": "Artillery shelled the city and soldiers fought street by street; the army said forty civilians were killed and a hundred wounded in the war.", "sensitive": true, "sensitive_rows": ["I4GWl6"], "categories": ["I4GWl6"]}
            {"id": "sql", "kind": "technical", "title": "Database indexes", "text": "An index on a database column lets the SQL query planner find rows quickly; the database engine keeps the index up to date.", "sensitive": false, "sensitive_rows": [], "categories": ["596"]}
            {"id": "bad", "kind": "news", "title": "x", "text": "y", "sensitive": "yes"}
            """.write(to: pages, atomically: true, encoding: .utf8)
        let broken = try run(["evaluate", "--sensitivity", pages.path, "--catalog", packageRoot.appendingPathComponent("Catalog").path])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("pages.jsonl:3"), "the bad line is named: \(broken.stderr)")
        var lines = try String(contentsOf: pages, encoding: .utf8).split(separator: "\n")
        lines.removeLast()
        try lines.joined(separator: "\n").write(to: pages, atomically: true, encoding: .utf8)
        let result = try run(["evaluate", "--sensitivity", pages.path, "--catalog", packageRoot.appendingPathComponent("Catalog").path,
                              "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try parse(result.stdout.trimmingCharacters(in: .newlines))
        let kinds = try #require(report["by_kind"] as? [String: Any])
        #expect(Set(kinds.keys) == ["news", "technical"])
        #expect(report["category_pages"] as? Int == 2)
        #expect(report["category_tier1_accuracy"] is [String: Double])
        let rows = try #require(report["recall_by_sensitive_row"] as? [String: [String: Int]])
        #expect(rows["I4GWl6"]?["labeled"] == 1)
        let strict = try run(["evaluate", "--sensitivity", pages.path, "--catalog", packageRoot.appendingPathComponent("Catalog").path,
                              "--format", "json", "--sensitive-threshold", "1"])
        let strictReport = try parse(strict.stdout.trimmingCharacters(in: .newlines))
        #expect(strictReport["true_positives"] as? Int == 0, "at threshold 1 nothing is flagged: \(strict.stdout)")
    }
}

/// "Nothing kept": the filter is run on requests carrying canary strings, in a fresh folder that
/// is also its HOME and TMPDIR, and every byte it writes outside stdout is searched for them.
@Suite struct NothingKeptTests {
    @Test func canariesNeverLeaveThroughStderrOrFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-canary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let catalog = folder.appendingPathComponent("catalog.jsonl")
        try catalogText.write(to: catalog, atomically: true, encoding: .utf8)
        let key = folder.appendingPathComponent("session.key")
        try "a deployer secret of 32 bytes!!!".write(to: key, atomically: true, encoding: .utf8)
        let urlCanary = "canaryurlq7x3", textCanary = "canarytextz9k1", idCanary = "canaryidentity5v8"
        let requests = """
            {"id": "a", "page": {"url": "https://example.org/\(urlCanary)", "title": "green tea", "text": "tea \(textCanary) leaves"}, "consent": {"level": "session"}}
            {"id": "b", "page": {"title": "tea"}, "user_id": "\(idCanary)"}
            {"id": "c", "page": {"title": "tea", "text": 42, "url": "\(urlCanary)"}}
            {"id": "d", "page": {"title": "\(textCanary) tea"}, "session": "cs1.\(textCanary).\(idCanary)", "consent": {"level": "session"}}
            not json \(textCanary)
            """
        let input = folder.appendingPathComponent("requests.jsonl")
        try requests.write(to: input, atomically: true, encoding: .utf8)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))

        let process = Process()
        process.executableURL = executableURL()
        process.arguments = ["select", "--catalog", catalog.path, "--session-key-file", key.path, input.path]
        process.currentDirectoryURL = folder
        process.environment = ["HOME": folder.path, "TMPDIR": folder.path, "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 1, "lines b, c, d's token and e fail or are refused")
        #expect(stdout.split(separator: "\n").count == 5)
        for canary in [urlCanary, textCanary, idCanary] {
            #expect(!stderr.contains(canary), "stderr carries \(canary)")
        }
        // The URL is never used and identity values never echoed, not even in the response.
        #expect(!stdout.contains(urlCanary))
        #expect(!stdout.contains(idCanary))
        // Nothing was written beside the inputs, and no file anywhere below holds a canary.
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(after == before, "new files: \(after.subtracting(before))")
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let name = enumerator?.nextObject() as? String {
            let path = folder.appendingPathComponent(name).path
            guard name != "requests.jsonl", let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for canary in [urlCanary, textCanary, idCanary] { #expect(!text.contains(canary), "\(name) holds \(canary)") }
        }
    }
}


/// The same request gives the same answer through the library and through the filter.
@Suite struct LibraryAndFilterAgreeTests {
    @Test func filterOutputEqualsLibraryOutput() throws {
        let catalogPath = try write(catalogText, to: "agree-catalog.jsonl")
        let lines = [
            #"{"id": "a", "page": {"html": "<title>Tea</title><p>green tea and oolong</p>"}, "explain": true, "now": "2026-11-23T10:00:00Z"}"#,
            #"{"id": "b", "page": {"text": "espresso coffee"}, "slots": [{"id": "x", "count": 2}], "now": "2026-11-23T10:00:00Z"}"#,
        ]
        let input = try write(lines.joined(separator: "\n") + "\n", to: "agree.jsonl")
        let filter = try run(["select", "--catalog", catalogPath, input])
        #expect(filter.status == 0)
        var engine = try SelectionEngine(catalog: try CatalogLoader.parse(catalogText))
        // The filter classifies pages with the default Catalog/ it finds beside the executable.
        engine.classifier = try CategoryClassifier(folder: packageRoot.appendingPathComponent("Catalog"))
        let library = try lines.map { JSONWriter.string(try engine.select(try SelectionRequest.decode(try JSONParser.parse($0))).json) }
        #expect(filter.lines == library)
    }
}
