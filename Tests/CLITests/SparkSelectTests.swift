import Foundation
import Testing

/// scripts/spark-select.py in Spark's local mode against the plain filter: the same bytes, in
/// input order, error records with lines of the whole input. Needs pyspark and Java
/// (scripts/setup-test.sh installs them); without them this test fails, it is never skipped.
@Suite struct SparkSelectTests {
    /// Runs one of the Spark scripts with this build's binary as `CTXSEL`.
    func sparkJob(_ script: String, _ arguments: [String]) throws -> CommandResult {
        return try runProgram(URL(fileURLWithPath: "/usr/bin/env"),
                              ["python3", packageRoot.appendingPathComponent("scripts").appendingPathComponent(script).path] + arguments,
                              environment: ["CTXSEL": executableURL().path])
    }

    @Test func theSparkJobWritesWhatTheFilterWrites() throws {
        let folder = temporaryFolder.appendingPathComponent("spark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // 240 requests from written pages, with malformed lines, a refused field and blank lines among them.
        let topics = ["green tea and a teapot", "trail running shoes for muddy trails", "python asyncio tutorial",
                      "sourdough bread baking", "a telescope for the night sky", "diabetes and insulin treatment"]
        var lines: [String] = []
        for number in 0..<240 {
            switch number % 29 {
            case 3: lines.append(#"{"id": "bad-\#(number)", "page": {"title": 3}}"#)
            case 11: lines.append("{not json")
            case 17: lines.append("")
            case 23: lines.append(#"{"id": "who-\#(number)", "page": {"text": "tea"}, "user": {"id": "u1"}}"#)
            default:
                lines.append(#"{"id": "r\#(number)", "page": {"title": "Page \#(number)", "text": "\#(topics[number % topics.count]), number \#(number)"}, "slots": [{"id": "s", "count": 2}]}"#)
            }
        }
        let input = folder.appendingPathComponent("requests.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let snapshot = folder.appendingPathComponent("catalog.ctxidx").path
        let catalog = packageRoot.appendingPathComponent("Catalog").path
        let index = try run(["index", "--catalog", catalog, "--output", snapshot])
        #expect(index.status == 0, "\(index.stderr)")
        let filter = try run(["select", "--index", snapshot, "--classifier", catalog, input.path])
        #expect(filter.status == 1, "the filter fails a bad line: \(filter.stderr)")

        let output = folder.appendingPathComponent("out")
        let job = try sparkJob("spark-select.py", ["--input", input.path, "--output", output.path, "--master", "local[2]",
                                                   "--partitions", "4", "--index", snapshot, "--classifier", catalog])
        let log = job.stderr
        try #require(job.status == 0, "the job failed: \(log.suffix(3000))")
        let parts = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix("part-") }.sorted()
        #expect(parts.count >= 4, "\(parts)")
        let joined = try parts.map { try String(contentsOf: output.appendingPathComponent($0), encoding: .utf8) }.joined()
        #expect(joined == filter.stdout, "the part files, concatenated, are the filter's output")
        let errors = filter.lines.filter { $0.hasPrefix(#"{"line":"#) }.count
        #expect(errors == 9 + 8 + 8, "bad types, bad JSON and identity fields: \(errors)")
        #expect(log.contains("spark-select: 232 requests, \(errors) error records"), "\(log.suffix(2000))")
    }

    @Test func theSparkEvaluationWritesTheRunEvaluateWrites() throws {
        let folder = temporaryFolder.appendingPathComponent("spark-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let corpus = packageRoot.appendingPathComponent("Corpus/cranfield").path
        let single = try run(["evaluate", "--corpus", corpus, "--ranker", "bm25,priority", "--depth", "50",
                              "--runs-dir", folder.path, "--format", "json"])
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try String(contentsOf: folder.appendingPathComponent("bm25_priority.run"), encoding: .utf8)
        let output = folder.appendingPathComponent("spark.run")
        let job = try sparkJob("spark-evaluate.py", ["--corpus", corpus, "--output", output.path, "--ranker", "bm25,priority",
                                                     "--depth", "50", "--master", "local[2]", "--partitions", "3"])
        let log = job.stderr
        try #require(job.status == 0, "the job failed: \(log.suffix(3000))")
        let made = try String(contentsOf: output, encoding: .utf8)
        #expect(made == expected, "the Spark run is the single-process run, byte for byte")
        #expect(log.contains("spark-evaluate: 225 queries, 11250 run lines"), "\(log.suffix(1000))")
    }
}
