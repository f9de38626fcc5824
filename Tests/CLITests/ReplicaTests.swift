import Foundation
import Testing

/// scripts/replicas.sh: two `ctxsel serve` replicas with one snapshot behind nginx, reloaded and
/// then restarted one by one while two clients keep sending requests through nginx. Every answer
/// must be the filter's answer to the same request, and none may fail. Needs nginx
/// (scripts/setup-test.sh installs it); without it this test fails, it is never skipped.
@Suite struct ReplicaTests {
    /// What a client saw: answers that matched, and every one that did not.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var matched = 0
        private(set) var failures: [String] = []

        func record(_ failure: String?) {
            lock.lock(); defer { lock.unlock() }
            if let failure { failures.append(failure) } else { matched += 1 }
        }
    }

    /// A flag the clients read and the test sets.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
        func set() { lock.lock(); stopped = true; lock.unlock() }
    }

    @Test func everyAnswerThroughNginxDuringRollingReloadAndRestartIsTheFiltersAnswer() throws {
        let script = packageRoot.appendingPathComponent("scripts/replicas.sh")
        let folder = temporaryFolder.appendingPathComponent("replicas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        // 60 requests, a malformed line and a refused identity field among them.
        let topics = ["green tea and a teapot", "trail running shoes for muddy trails", "python asyncio tutorial",
                      "sourdough bread baking", "a telescope for the night sky", "diabetes and insulin treatment"]
        var lines: [String] = []
        for number in 0..<60 {
            switch number {
            case 13: lines.append("{not json")
            case 31: lines.append(#"{"id": "who", "page": {"text": "tea"}, "user": {"id": "u1"}}"#)
            default:
                lines.append(#"{"id": "r\#(number)", "page": {"title": "Page \#(number)", "text": "\#(topics[number % topics.count]), number \#(number)"}, "slots": [{"id": "s", "count": 2}]}"#)
            }
        }
        let requests = lines
        let input = folder.appendingPathComponent("requests.jsonl")
        let batchBody = lines.joined(separator: "\n") + "\n"
        try batchBody.write(to: input, atomically: true, encoding: .utf8)
        let snapshot = folder.appendingPathComponent("catalog.ctxidx").path
        let catalog = packageRoot.appendingPathComponent("Catalog").path
        let index = try run(["index", "--catalog", catalog, "--output", snapshot])
        try #require(index.status == 0, "\(index.stderr)")
        let filter = try run(["select", "--index", snapshot, "--classifier", catalog, input.path])
        let expected = filter.lines
        try #require(expected.count == lines.count, "\(filter.stderr)")
        let valid = requests.indices.filter { !expected[$0].hasPrefix(#"{"line""#) }
        #expect(valid.count == 58)

        // Ports from this process's id, so that two test runs on one machine do not collide.
        let port = 20_000 + Int(ProcessInfo.processInfo.processIdentifier % 400) * 100
        let environment = ["CTXSEL": executableURL().path]
        func replicas(_ arguments: [String]) throws -> CommandResult {
            try runProgram(URL(fileURLWithPath: "/bin/bash"), [script.path] + arguments, environment: environment)
        }
        let started = try replicas(["start", folder.path, "2", "--port", "\(port)", "--", "--index", snapshot, "--classifier", catalog])
        defer { _ = try? replicas(["stop", folder.path]) }
        try #require(started.status == 0, "\(started.stderr)")

        // Two clients: one sends single requests, the other the whole file as a batch, until told to stop.
        let single = Tally(), batch = Tally(), stop = StopFlag()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            var turn = 0
            while !stop.isSet {
                let line = valid[turn % valid.count]
                turn += 1
                do {
                    let answer = try http(port, "POST", "/v1/select", body: requests[line], timeout: 30)
                    single.record(answer.status == 200 && answer.body == expected[line] + "\n"
                                  ? nil : "line \(line + 1): \(answer.status) \(answer.body.prefix(300))")
                } catch { single.record("line \(line + 1): \(error)") }
            }
        }
        DispatchQueue.global().async(group: group) {
            while !stop.isSet {
                do {
                    let answer = try http(port, "POST", "/v1/select/batch", body: batchBody, timeout: 60)
                    let answered = answer.body.split(separator: "\n").map(String.init)
                    batch.record(answer.status == 200 && answered == expected
                                 ? nil : "batch: \(answer.status), \(answered.count) lines, first differing: "
                                       + "\(zip(answered, expected).first { $0 != $1 }.map { "\($0.0.prefix(200))" } ?? "none")")
                } catch { batch.record("batch: \(error)") }
            }
        }
        Thread.sleep(forTimeInterval: 1)
        let reload = try replicas(["reload", folder.path])
        let restart = try replicas(["restart", folder.path])
        Thread.sleep(forTimeInterval: 1)
        stop.set()
        group.wait()

        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(reload.stderr.contains("replica 1 reloaded") && reload.stderr.contains("replica 2 reloaded"), "\(reload.stderr)")
        #expect(restart.status == 0, "\(restart.stderr)")
        #expect(restart.stderr.contains("replica 2 restarted"), "\(restart.stderr)")
        let singleFailures = single.failures.count, batchFailures = batch.failures.count
        #expect(singleFailures == 0, "\(single.matched) single answers matched; the first failures: \(single.failures.prefix(3))")
        #expect(batchFailures == 0, "\(batch.matched) batches matched; the first failures: \(batch.failures.prefix(3))")
        #expect(single.matched > 20 && batch.matched > 2, "\(single.matched) single answers, \(batch.matched) batches")
        // Both replicas were started, and started again by the rolling restart.
        let logs = try (1...2).map { try String(contentsOf: folder.appendingPathComponent("replica-\($0).log"), encoding: .utf8) }
        #expect(logs.allSatisfy { $0.components(separatedBy: "ctxsel: listening on").count == 3 }, "each replica started twice: \(logs)")
    }
}
