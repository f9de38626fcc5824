import Foundation
import WireFormat
public import SelectionCore

/// A ranker in any language: a long-running process that reads one JSON line per request on
/// stdin and answers with one JSON line on stdout.
///
/// Request line: `{"call", "request_id", "limit", "keywords": [{"term", "weight"}], "candidates":
/// [{"id", "kind", "title", "advertiser", "categories", "priority", "weight", "score", "bm25",
/// "cosine"}]}`. Answer line: `{"call", "ranking": [{"id", "score"}]}`, `call` echoed from the
/// request (a number that grows with every request, so an answer is never taken for the wrong
/// one), the ranking best first, ids a subset of the candidates' with no repeats.
///
/// The process is started on first use and kept. Writing the request and reading the answer
/// share one deadline (`timeout` seconds from the call, time spent waiting for the process
/// included); a process that misses it, answers wrongly, answers twice or exits fails that
/// request with a clear error, is stopped with its whole process group (``RankerProcess``),
/// and is started anew for the next. Calls are serialised: one request at a time.
public final class ExternalProcessRanker: Ranker, @unchecked Sendable {
    public static let defaultTimeout = 2.0
    /// Longest answer line accepted.
    public static let maximumAnswerBytes = 16 << 20

    public let executable: String
    public let timeout: Double
    // Guarded by `lock`: the running process and the last call number.
    private let lock = NSLock()
    private var process: RankerProcess?
    private var call = 0

    public init(executable: String, timeout: Double = ExternalProcessRanker.defaultTimeout) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw RankerError(ranker: "exec:\(executable)", message: "no executable file at \(executable)")
        }
        guard timeout > 0, timeout <= 3600 else {
            throw RankerError(ranker: "exec:\(executable)", message: "timeout must be between 0 and 3600 seconds")
        }
        self.executable = executable
        self.timeout = timeout
        // A child that dies must not kill us with SIGPIPE when we write to it.
        signal(SIGPIPE, SIG_IGN)
    }

    public var name: String { "exec:\(executable)" }

    /// Whether a ranker process is running now (for tests and health checks).
    public var isRunning: Bool { lock.withLock { process != nil } }

    public func rank(_ candidates: [Candidate], in context: RankingContext) throws -> [Candidate] {
        guard !candidates.isEmpty else { return [] }
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(timeout * 1000)))
        // Waiting for another request's call counts against this one's deadline.
        guard lock.lock(before: Date().addingTimeInterval(timeout)) else {
            throw RankerError(ranker: name, message: "busy with other requests for \(timeout) s")
        }
        defer { lock.unlock() }
        call += 1
        let line = requestLine(candidates, context, call: call)
        do {
            if process == nil { process = try RankerProcess(executable: executable) }
            let answer = try process!.exchange(line, deadline: deadline, maximumAnswerBytes: Self.maximumAnswerBytes)
            return try apply(answer, to: candidates, call: call)
        } catch let error as RankerProcessError {
            terminateProcess()
            throw RankerError(ranker: name, message: error.message(timeout: timeout))
        } catch {
            terminateProcess()
            throw error
        }
    }

    /// Stops the process, if one runs; the next request starts a new one.
    public func stop() {
        lock.withLock { terminateProcess() }
    }

    /// Stops the process; the caller holds `lock`.
    private func terminateProcess() {
        process?.terminate()
        process = nil
    }

    func requestLine(_ candidates: [Candidate], _ context: RankingContext, call: Int) -> [UInt8] {
        let message = JSONValue.object([
            ("call", .number(Double(call))),
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
        return writer.bytes + [0x0A]
    }

    func apply(_ answer: [UInt8], to candidates: [Candidate], call: Int) throws -> [Candidate] {
        let json: JSONValue
        do { json = try answer.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try JSONParser.parse(buffer) } } catch {
            throw RankerError(ranker: name, message: "answer is not JSON: \(error)")
        }
        guard case .number(let answered)? = json["call"] else {
            throw RankerError(ranker: name, message: "answer must echo the request's \"call\" number (\(call))")
        }
        guard answered == Double(call) else {
            throw RankerError(ranker: name, message: "answered call \(JSONWriter.string(.number(answered))) while call \(call) was asked: an extra or stale answer line")
        }
        guard case .array(let entries)? = json["ranking"] else {
            throw RankerError(ranker: name, message: "answer must be an object with a \"ranking\" array")
        }
        var byID: [ItemID: Candidate] = [:]
        for candidate in candidates { byID[candidate.item.id] = candidate }
        var seen: Set<ItemID> = []
        var ranked: [Candidate] = []
        for (index, entry) in entries.enumerated() {
            guard case .string(let id)? = entry["id"], case .number(let score)? = entry["score"], score.isFinite else {
                throw RankerError(ranker: name, message: "ranking[\(index)] needs a string id and a finite number score")
            }
            guard var candidate = byID[id] else {
                throw RankerError(ranker: name, message: "ranking[\(index)] names \"\(id.prefix(80))\", which is not a candidate")
            }
            guard seen.insert(id).inserted else {
                throw RankerError(ranker: name, message: "ranking[\(index)] repeats \"\(id.prefix(80))\"")
            }
            let previous = candidate.explanation
            candidate.score = score
            candidate.explanation = Explanation(score, "\(name): score from the external ranker", [previous])
            ranked.append(candidate)
        }
        return ranked
    }
}
