import Foundation
import SelectionCore
import Testing
@testable import Selection
import WireFormat

/// External rankers that misbehave in every way a process can: each fails only its own request,
/// within the deadline, and leaves no process behind.
@Suite(.serialized) struct ExternalProcessRankerTests {
    /// A folder for this test's ranker scripts and the pid files they write.
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-rankers-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes an executable script and returns its path.
    func script(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// A Python ranker: reads request lines and answers each as `respond(request)` says, after
    /// writing its pid (and any it forks) to `pids`.
    func pythonRanker(_ name: String, respond: String) throws -> String {
        try script(name, """
            #!/usr/bin/env python3
            import json, os, sys
            with open(\(pythonString(folder.appendingPathComponent("\(name).pids").path)), "a") as f:
                f.write(f"{os.getpid()}\\n")
            def respond(request):
            \(respond.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            for line in sys.stdin:
                respond(json.loads(line))
                sys.stdout.flush()
            """)
    }

    func pythonString(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "\\'") + "'" }

    /// Pids the scripts of `name` wrote.
    func pids(_ name: String) -> [pid_t] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("\(name).pids"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { pid_t($0) }
    }

    /// Whether `pid` still runs (a zombie left for init to reap counts as gone).
    func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    /// Waits briefly for processes to go, as init reaps them.
    func expectGone(_ pids: [pid_t], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!pids.isEmpty, "the script recorded its pids", sourceLocation: sourceLocation)
        let deadline = Date().addingTimeInterval(2)
        while pids.contains(where: isRunning), Date() < deadline { usleep(10_000) }
        #expect(pids.filter(isRunning) == [], "no ranker process is left", sourceLocation: sourceLocation)
    }

    /// Six slots of fifty: a request line well past a pipe's 64 KiB buffer.
    let manyCandidates = (0..<300).map {
        candidate("item-\($0)-" + String(repeating: "x", count: 200), bm25: Double(300 - $0), cosine: 0.5)
    }
    let context = RankingContext(requestID: "r", keywords: [Keyword(term: "tea", text: "tea", weight: 1)], limit: 300)

    /// Ranks `candidates` and returns the failure's message, or nil when it succeeded.
    func failure(_ ranker: ExternalProcessRanker, _ candidates: [Candidate]) -> String? {
        do {
            _ = try ranker.rank(candidates, in: context)
            return nil
        } catch {
            return "\(error)"
        }
    }

    let reverse = """
        ranking = [{"id": c["id"], "score": i} for i, c in enumerate(request["candidates"])]
        print(json.dumps({"call": request["call"], "ranking": ranking}))
        """

    @Test func aWellBehavedRankerConformsAndEchoesItsCall() throws {
        let ranker = try ExternalProcessRanker(executable: try pythonRanker("good", respond: reverse), timeout: 10)
        try verifyRankerConformance(ranker, sampleCandidates)
        #expect(try ranker.rank(sampleCandidates, in: context).map(\.item.id) == ["a", "b", "c", "d"])
        #expect(try ranker.rank(manyCandidates, in: context).count == 300, "a request past the pipe buffer")
        #expect(pids("good").count == 1, "one process served every request")
        ranker.stop()
        expectGone(pids("good"))
    }

    @Test func aRankerThatNeverReadsFailsWithinItsDeadline() throws {
        let path = try script("never-reads", "#!/bin/sh\necho $$ >> \(folder.path)/never-reads.pids\nexec sleep 600\n")
        let ranker = try ExternalProcessRanker(executable: path, timeout: 0.5)
        let started = Date()
        let message = try #require(failure(ranker, manyCandidates))
        #expect(message.contains("did not read the whole request within 0.5 s"), "\(message)")
        #expect(Date().timeIntervalSince(started) < 3, "the write is bounded by the deadline")
        #expect(!ranker.isRunning)
        expectGone(pids("never-reads"))
    }

    @Test func aRankerThatNeverWritesFailsWithinItsDeadline() throws {
        let ranker = try ExternalProcessRanker(executable: try pythonRanker("never-writes", respond: "pass"), timeout: 0.5)
        let message = try #require(failure(ranker, sampleCandidates))
        #expect(message.contains("no answer within 0.5 s"), "\(message)")
        expectGone(pids("never-writes"))
    }

    @Test func aSecondAnswerLineIsNeverTakenForTheNextRequest() throws {
        let path = try pythonRanker("writes-twice", respond: reverse + "\n" + reverse)
        let ranker = try ExternalProcessRanker(executable: path, timeout: 5)
        #expect(failure(ranker, sampleCandidates) == nil)
        let message = try #require(failure(ranker, Array(sampleCandidates.reversed())))
        // The extra line is seen before the request is written, or after, as an answer to call 1.
        #expect(message.contains("an extra answer to an earlier one") || message.contains("answered call 1 while call 2 was asked"),
                "\(message)")
        #expect(failure(ranker, sampleCandidates) == nil, "a new process answers the next request")
        #expect(pids("writes-twice").count == 2)
        ranker.stop()
        expectGone(pids("writes-twice"))
    }

    @Test func garbageAndWrongAnswersFailTheirRequest() throws {
        for (name, respond, expected) in [
            ("garbage", #"print("hello")"#, "answer is not JSON"),
            ("no-call", #"print(json.dumps({"ranking": []}))"#, "must echo the request's \"call\""),
            ("invented", #"print(json.dumps({"call": request["call"], "ranking": [{"id": "zzz", "score": 1}]}))"#, "not a candidate"),
            ("repeats", #"print(json.dumps({"call": request["call"], "ranking": [{"id": "a", "score": 1}, {"id": "a", "score": 0}]}))"#, "repeats"),
            ("infinite", #"print('{"call": %d, "ranking": [{"id": "a", "score": 1e999}]}' % request["call"])"#, "number out of range"),
        ] {
            let ranker = try ExternalProcessRanker(executable: try pythonRanker(name, respond: respond), timeout: 5)
            let message = try #require(failure(ranker, sampleCandidates), "\(name)")
            #expect(message.contains(expected), "\(name): \(message)")
            expectGone(pids(name))
        }
    }

    @Test func aRankerThatDiesMidLineFailsItsRequest() throws {
        let respond = #"sys.stdout.write('{"call": %d, "rank' % request["call"]); sys.stdout.flush(); os._exit(3)"#
        let ranker = try ExternalProcessRanker(executable: try pythonRanker("dies", respond: respond), timeout: 5)
        let message = try #require(failure(ranker, sampleCandidates))
        #expect(message.contains("closed its output before answering"), "\(message)")
        expectGone(pids("dies"))
    }

    @Test func aGrandchildDiesWithTheRanker() throws {
        let path = try script("forks", """
            #!/bin/sh
            echo $$ >> \(folder.path)/forks.pids
            sleep 600 &
            echo $! >> \(folder.path)/forks.pids
            trap '' TERM
            exec sleep 600
            """)
        let ranker = try ExternalProcessRanker(executable: path, timeout: 0.3)
        #expect(failure(ranker, sampleCandidates) != nil)
        #expect(pids("forks").count == 2)
        expectGone(pids("forks"))
    }

    @Test func aRankerGoneWithTheEngineLeavesNoProcess() throws {
        var ranker: ExternalProcessRanker? = try ExternalProcessRanker(executable: try pythonRanker("released", respond: reverse),
                                                                       timeout: 10)
        #expect(failure(ranker!, sampleCandidates) == nil)
        ranker = nil
        expectGone(pids("released"))
    }

    @Test func waitingForABusyRankerCountsAgainstTheDeadline() async throws {
        let path = try script("slow", "#!/bin/sh\necho $$ >> \(folder.path)/slow.pids\nexec sleep 600\n")
        let ranker = try ExternalProcessRanker(executable: path, timeout: 0.4)
        let started = Date()
        let messages = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<4 { group.addTask { failure(ranker, sampleCandidates) } }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(messages.allSatisfy { $0 != nil }, "\(messages)")
        #expect(Date().timeIntervalSince(started) < 4, "four requests are not served one deadline after another")
        expectGone(pids("slow"))
    }

    // MARK: Shell rankers: the protocol as a few lines of sh

    /// A shell ranker: `body` runs with the request line in `$line` and its call number in `$call`.
    func shellRanker(_ body: String) throws -> String {
        try script("sh-\(UUID().uuidString).sh", """
            #!/bin/sh
            while read line; do
              call=$(printf '%s' "$line" | sed 's/^{"call":\\([0-9]*\\).*/\\1/')
              \(body)
            done
            """)
    }

    @Test func aShellRankerRanksAndMayDrop() throws {
        let ranker = try ExternalProcessRanker(executable: try shellRanker(
            #"echo "{\"call\":$call,\"ranking\":[{\"id\":\"c\",\"score\":9},{\"id\":\"a\",\"score\":1.5}]}""#))
        try verifyRankerConformance(ranker, sampleCandidates, allowsDropping: true)
        let ranked = try ranker.rank(sampleCandidates, in: context)
        #expect(ranked.map(\.item.id) == ["c", "a"])
        #expect(ranked.map(\.score) == [9, 1.5])
        #expect(ranked[0].relevance == sampleCandidates[2].relevance)
        ranker.stop()
    }

    @Test func receivesTheCandidates() throws {
        let log = folder.appendingPathComponent("received.log").path
        let ranker = try ExternalProcessRanker(executable: try shellRanker(
            #"echo "$line" >> \#(log); echo "{\"call\":$call,\"ranking\":[]}""#))
        _ = try ranker.rank(sampleCandidates, in: RankingContext(requestID: "r1", keywords: [], limit: 2))
        ranker.stop()
        let seen = try JSONParser.parse(try String(contentsOfFile: log, encoding: .utf8))
        #expect(seen["request_id"] == .string("r1"))
        #expect(seen["call"] == .number(1))
        guard case .array(let candidates)? = seen["candidates"] else { Issue.record("no candidates"); return }
        #expect(candidates.count == 4)
        #expect(candidates.first?["id"] == .string("a"))
    }

    @Test func restartsAfterAFailure() throws {
        let marker = folder.appendingPathComponent("marker").path
        // The first process dies without answering; the next one behaves.
        let path = try script("restarts.sh", """
            #!/bin/sh
            if [ ! -f \(marker) ]; then touch \(marker); exit 1; fi
            while read line; do
              call=$(printf '%s' "$line" | sed 's/^{"call":\\([0-9]*\\).*/\\1/')
              echo "{\\"call\\":$call,\\"ranking\\":[{\\"id\\":\\"b\\",\\"score\\":1}]}"
            done
            """)
        let ranker = try ExternalProcessRanker(executable: path, timeout: 2)
        #expect(throws: RankerError.self) { try ranker.rank(sampleCandidates, in: context) }
        #expect(try ranker.rank(sampleCandidates, in: context).map(\.item.id) == ["b"])
        ranker.stop()
    }
}
