import Foundation
public import SelectionCore

/// A ranker in any language: a long-running process that reads one JSON line per request on
/// stdin and answers with one JSON line on stdout.
///
/// Request line: `{"request_id", "limit", "keywords": [{"term", "weight"}], "candidates":
/// [{"id", "kind", "title", "advertiser", "categories", "priority", "weight", "score", "bm25",
/// "cosine"}]}`. Answer line: `{"ranking": [{"id", "score"}]}`, best first, ids a subset of
/// the candidates' with no repeats. The process is started on first use and kept; a process that
/// exits, answers late (after `timeout` seconds) or answers wrongly fails that request with a
/// clear error and is restarted for the next. Calls are serialised: one request at a time.
public final class ExternalProcessRanker: Ranker, @unchecked Sendable {
    public static let defaultTimeout = 2.0
    /// Longest answer line accepted.
    public static let maximumAnswerBytes = 16 << 20

    public let executable: String
    public let timeout: Double
    // Guarded by `lock`: the running process and its pipes.
    private let lock = NSLock()
    private var process: Process?
    private var input: FileHandle?
    private var output: FileHandle?
    private var pending: [UInt8] = []

    public init(executable: String, timeout: Double = ExternalProcessRanker.defaultTimeout) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw RankerError(ranker: "exec:\(executable)", message: "no executable file at \(executable)")
        }
        guard timeout > 0 else { throw RankerError(ranker: "exec:\(executable)", message: "timeout must be positive") }
        self.executable = executable
        self.timeout = timeout
        // A child that dies must not kill us with SIGPIPE when we write to it.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { stop() }

    public var name: String { "exec:\(executable)" }

    public func rank(_ candidates: [Candidate], in context: RankingContext) throws -> [Candidate] {
        guard !candidates.isEmpty else { return [] }
        let line = requestLine(candidates, context)
        lock.lock()
        defer { lock.unlock() }
        do {
            try startIfNeeded()
            do { try input!.write(contentsOf: line) } catch {
                throw RankerError(ranker: name, message: "the process exited or closed its input before reading the request")
            }
            let answer = try readLine(deadline: Date().addingTimeInterval(timeout))
            return try apply(answer, to: candidates)
        } catch let error as RankerError {
            stop()
            throw error
        } catch {
            stop()
            throw RankerError(ranker: name, message: "the process could not be reached: \(error)")
        }
    }

    func requestLine(_ candidates: [Candidate], _ context: RankingContext) -> Data {
        let message = JSONValue.object([
            ("request_id", context.requestID.map(JSONValue.string) ?? .null),
            ("limit", .number(Double(context.limit))),
            ("keywords", .array(context.keywords.map { .object([("term", .string($0.term)), ("weight", .number($0.weight))]) })),
            ("candidates", .array(candidates.map { candidate in
                .object([
                    ("id", .string(candidate.item.id)),
                    ("kind", .string(candidate.item.kind.rawValue)),
                    ("title", .string(candidate.item.title)),
                    ("advertiser", candidate.item.advertiser.map(JSONValue.string) ?? .null),
                    ("categories", .array(candidate.item.categories.map(JSONValue.string))),
                    ("priority", .number(Double(candidate.item.priority))),
                    ("weight", .number(candidate.item.weight)),
                    ("score", .number(candidate.score)),
                    ("bm25", .number(candidate.relevance.bm25)),
                    ("cosine", .number(candidate.relevance.cosine)),
                ])
            })),
        ])
        var writer = JSONWriter()
        writer.write(message)
        return Data(writer.bytes + [0x0A])
    }

    func apply(_ answer: [UInt8], to candidates: [Candidate]) throws -> [Candidate] {
        let json: JSONValue
        do { json = try answer.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try JSONParser.parse(buffer) } } catch {
            throw RankerError(ranker: name, message: "answer is not JSON: \(error)")
        }
        guard case .array(let entries)? = json["ranking"] else {
            throw RankerError(ranker: name, message: "answer must be an object with a \"ranking\" array")
        }
        var byID: [ItemID: Candidate] = [:]
        for candidate in candidates { byID[candidate.item.id] = candidate }
        var seen: Set<ItemID> = []
        var ranked: [Candidate] = []
        for (index, entry) in entries.enumerated() {
            guard case .string(let id)? = entry["id"], case .number(let score)? = entry["score"] else {
                throw RankerError(ranker: name, message: "ranking[\(index)] needs a string id and a number score")
            }
            guard var candidate = byID[id] else {
                throw RankerError(ranker: name, message: "ranking[\(index)] names \"\(id)\", which is not a candidate")
            }
            guard seen.insert(id).inserted else {
                throw RankerError(ranker: name, message: "ranking[\(index)] repeats \"\(id)\"")
            }
            let previous = candidate.explanation
            candidate.score = score
            candidate.explanation = Explanation(score, "\(name): score from the external ranker", [previous])
            ranked.append(candidate)
        }
        return ranked
    }

    private func startIfNeeded() throws {
        if let process, process.isRunning { return }
        stop()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        do { try process.run() } catch {
            throw RankerError(ranker: name, message: "cannot start: \(error.localizedDescription)")
        }
        self.process = process
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
        pending = []
    }

    private func stop() {
        if let process, process.isRunning { process.terminate() }
        try? input?.close()
        try? output?.close()
        process = nil
        input = nil
        output = nil
        pending = []
    }

    /// Reads one line from the process, waiting at most until `deadline`.
    private func readLine(deadline: Date) throws -> [UInt8] {
        guard let output else { throw RankerError(ranker: name, message: "not running") }
        let descriptor = output.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            guard pending.count <= Self.maximumAnswerBytes else {
                throw RankerError(ranker: name, message: "answer longer than \(Self.maximumAnswerBytes) bytes")
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw RankerError(ranker: name, message: "no answer within \(timeout) s")
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw RankerError(ranker: name, message: "the process exited or closed its output before answering")
            }
            pending.append(contentsOf: chunk[0..<count])
        }
    }
}
