import Foundation
import Testing

/// `ctxsel classify`: pages in, categories with probabilities and evidence out; the fitting
/// scripts' features and entries.
@Suite struct ClassifyCLITests {
    let catalog = packageRoot.appendingPathComponent("Catalog").path

    let pages = """
        {"id": "health", "title": "Living with diabetes", "text": "Type 2 diabetes is a chronic disease. Patients manage blood sugar with insulin and medication, and see a physician for diagnosis."}
        {"id": "code", "title": "Python modules", "text": "Define a function, import a module and call it from the interpreter; the compiler checks the program's syntax."}
        """

    @Test func printsEachPagesCategoriesWithProbabilityAndEvidence() throws {
        let input = try write(pages, to: "classify-pages.jsonl")
        let result = try run(["classify", "--classifier", catalog, input])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 2)
        let health = try parse(result.lines[0]), code = try parse(result.lines[1])
        #expect(health["id"] as? String == "health")
        #expect(health["sensitive"] as? Bool == true, "\(result.lines[0])")
        #expect(code["sensitive"] as? Bool == false, "\(result.lines[1])")
        let categories = try #require(health["categories"] as? [[String: Any]])
        let first = try #require(categories.first)
        let score = try #require(first["score"] as? Double)
        #expect(score >= 0.5 && score <= 1)
        let evidence = try #require(first["evidence"] as? [[String: Any]])
        #expect(!evidence.isEmpty && evidence.allSatisfy { ($0["weight"] as? Double ?? 0) > 0 })
        let strict = try run(["classify", "--classifier", catalog, "--sensitive-threshold", "1", input])
        #expect(try parse(strict.lines[0])["sensitive"] as? Bool == false, "nothing reaches a threshold of 1")
    }

    @Test func writesCalibrationFeaturesAndEntries() throws {
        let input = try write(pages, to: "classify-features.jsonl")
        let features = try run(["classify", "--classifier", catalog, "--features", input])
        #expect(features.status == 0, "\(features.stderr)")
        let header = try #require(features.lines.first)
        #expect(header.split(separator: "\t").count == 2 + 6 + 1, "\(header)")
        let rows = features.lines.dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.count == 9 })
        #expect(Set(rows.map { String($0[0]) }) == ["health", "code"])
        let entries = try run(["classify", "--classifier", catalog, "--entries"])
        #expect(entries.status == 0, "\(entries.stderr)")
        #expect(entries.lines.contains { $0.hasPrefix("diabet\t") }, "the entry 'diabetes' matches the stem diabet")
    }

    @Test func aBadLineIsNamed() throws {
        let input = try write(#"{"id": "x", "text": 3}"# + "\n", to: "classify-bad.jsonl")
        let result = try run(["classify", "--classifier", catalog, input])
        #expect(result.status != 0)
        #expect(result.stderr.contains("classify-bad.jsonl:1"), "\(result.stderr)")
    }
}

/// `ctxsel` finds its default catalog and corpus from any folder.
@Suite struct DefaultDataCLITests {
    @Test func selectWorksFromAFolderWithoutACatalog() throws {
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-elsewhere-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let request = #"{"page": {"text": "Trail running shoes for muddy mountain trails"}, "slots": [{"id": "ad", "count": 1, "kinds": ["ad"]}]}"#
        let input = elsewhere.appendingPathComponent("request.jsonl").path
        try request.write(toFile: input, atomically: true, encoding: .utf8)
        let found = try runProgram(executableURL(), ["select"], in: elsewhere, environment: ["CTXSEL_HOME": ""], stdinFile: input)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains(#""id":"ad:trailhead-running-shoes""#), "the default catalog beside the executable: \(found.stdout)")
        #expect(found.stdout.contains(#""categories":[{"id":"483""#), "and its classifier: \(found.stdout)")
        let missing = try runProgram(executableURL(), ["select"], in: elsewhere, environment: ["CTXSEL_HOME": elsewhere.path],
                                     stdinFile: input)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no default Catalog/ found"), "\(missing.stderr)")
    }
}

/// Long work shows progress on stderr when it is a terminal, and only then.
@Suite struct ProgressCLITests {
    @Test func indexingShowsProgressOnATerminalOnly() throws {
        let catalog = try write(catalogText, to: "progress-catalog.jsonl")
        let snapshot = temporaryFolder.appendingPathComponent("progress.ctxidx").path
        let plain = try run(["index", "--catalog", catalog, "--output", snapshot])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stderr.contains("indexing 4 items"), "no progress into a pipe: \(plain.stderr)")
        // util-linux's script(1) gives the command a terminal.
        let command = "'\(executableURL().path)' index --catalog '\(catalog)' --output '\(snapshot)'"
        let terminal = try runProgram(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"])
        #expect(terminal.status == 0, "\(terminal.stderr)")
        #expect(terminal.stdout.contains("indexing 4 items: done in"), "\(terminal.stdout)")
    }
}

/// `select --keep-going` and `--first-line`: what a job that feeds the filter slices of a larger
/// input (a Spark partition) needs.
@Suite struct SliceCLITests {
    @Test func keepGoingWritesTheErrorRecordsAndExitsZero() throws {
        let input = try write("{\"id\": \"ok\", \"page\": {\"text\": \"green tea\"}}\n{broken\n", to: "slice.jsonl")
        let strict = try run(["select", input])
        #expect(strict.status == 1, "a pipeline sees the failure by default")
        let going = try run(["select", "--keep-going", input])
        #expect(going.status == 0, "\(going.stderr)")
        #expect(going.stdout == strict.stdout, "the same lines either way")
        #expect(going.stderr.contains("1 line(s) failed"))
    }

    @Test func errorRecordsNameLinesOfTheWholeInput() throws {
        let input = try write("{\"id\": \"ok\", \"page\": {\"text\": \"green tea\"}}\n{broken\n", to: "slice-offset.jsonl")
        let result = try run(["select", "--keep-going", "--first-line", "501", input])
        #expect(result.lines.count == 2)
        #expect(result.lines[1].hasPrefix(#"{"line":502,"id":null,"error":{"code":"invalid_json""#), "\(result.lines[1])")
        let refused = try run(["select", "--first-line", "0", input])
        #expect(refused.status != 0 && refused.stderr.contains("--first-line must be at least 1"), "\(refused.stderr)")
    }
}
