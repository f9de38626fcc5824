import Contract
import Foundation
public import Hummingbird
public import HummingbirdCore
import Indexing
import OpenRTB
public import Selection
public import SelectionCore
import WireFormat

/// The HTTP decision service: the filter's request and response shapes over HTTP.
///
/// `POST /v1/select` (one request), `POST /v1/select/batch` (NDJSON in, NDJSON streamed out as
/// the lines arrive, memory bounded by one line), `POST /openrtb2/enrich` and `POST /openrtb2/bid`
/// (one OpenRTB 2.6 BidRequest; a no-bid is 204), `GET /healthz`, `GET /metrics`. Selections run
/// through a ``WorkGate`` under the ``ServiceLimits``; ``httpServer(idleTimeout:)`` adds the
/// per-connection deadlines and the connection limit (``ConnectionGuard``). Headers that identify people (`X-Forwarded-For`, `Forwarded`,
/// `Cookie`, `X-Real-IP`, `User-Agent`…) are never read for selection and are listed in the
/// receipt as ignored; `Sec-GPC: 1` and `DNT: 1` cap consent like the request fields. No cookie is
/// ever set and nothing is logged per request.
public struct DecisionService: Sendable {
    public let holder: EngineHolder
    public let metrics: ServiceMetrics
    /// Largest body accepted for one request, and for a batch.
    public var maximumRequestBytes: Int
    public var maximumBatchBytes: Int
    public let limits: ServiceLimits
    public let gate: WorkGate
    let connections: ConnectionRegistry
    /// The Mustache source of the ad, content and house templates, for OpenRTB bids' `adm`;
    /// without them `POST /openrtb2/bid` answers 503.
    public let templates: [ItemKind: String]
    let bidders = BidderCache()

    public static let defaultMaximumRequestBytes = 8 << 20
    public static let defaultMaximumBatchBytes = 64 << 20

    /// Request headers that identify a person or a device: never read, reported as ignored.
    public static let identityHeaders = ["x-forwarded-for", "forwarded", "x-real-ip", "cookie", "user-agent",
                                         "x-client-ip", "true-client-ip", "cf-connecting-ip", "x-device-id"]

    public init(holder: EngineHolder, metrics: ServiceMetrics = ServiceMetrics(),
                maximumRequestBytes: Int = DecisionService.defaultMaximumRequestBytes,
                maximumBatchBytes: Int = DecisionService.defaultMaximumBatchBytes, limits: ServiceLimits = ServiceLimits(),
                templates: [ItemKind: String] = [:]) {
        self.holder = holder
        self.templates = templates
        self.metrics = metrics
        self.maximumRequestBytes = maximumRequestBytes
        self.maximumBatchBytes = maximumBatchBytes
        self.limits = limits
        gate = WorkGate(maximumRunning: limits.maximumConcurrentSelections, maximumQueued: limits.maximumQueuedSelections,
                        memory: MemoryBudget(bytes: limits.memoryBudgetBytes))
        connections = ConnectionRegistry(maximum: limits.maximumConnections)
    }

    /// The HTTP/1.1 server with this service's connection deadlines and limit.
    public func httpServer(idleTimeout: Duration) -> HTTPServerBuilder {
        let limits = limits, connections = connections
        return .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(limits: limits, registry: connections)],
                                           idleTimeout: .nanoseconds(Int64(idleTimeout.seconds * 1e9))))
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let service = self
        router.get("healthz") { _, _ in
            service.json(.object([("status", .string("ok")), ("catalog_items", .number(Double(service.holder.engine.index.documentCount))),
                                  ("catalog_version", .number(Double(service.holder.version)))]))
        }
        router.get("metrics") { _, _ in
            let engine = service.holder.engine
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: service.metrics.exposition(
                                catalogItems: engine.index.documentCount, catalogVersion: service.holder.version))))
        }
        router.post("v1/select") { request, _ in try await service.selectOne(request) }
        router.post("v1/select/batch") { request, _ in try await service.selectBatch(request) }
        router.post("openrtb2/enrich") { request, _ in try await service.openRTB(request, mode: .enrich) }
        router.post("openrtb2/bid") { request, _ in try await service.openRTB(request, mode: .bid) }
        // A known path asked with the wrong method: 405 naming the right one, not an empty 404.
        for (path, allowed) in [("v1/select", HTTPRequest.Method.post), ("v1/select/batch", .post), ("openrtb2/enrich", .post),
                                ("openrtb2/bid", .post), ("healthz", .get), ("metrics", .get)] {
            for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete]
            where method != allowed && !(allowed == .get && method == .head) {
                router.on(RouterPath(path), method: method) { _, _ in
                    var response = service.json(RequestError(.methodNotAllowed, "\(path) answers \(allowed.rawValue) only")
                        .record(line: 1, id: nil), status: .methodNotAllowed)
                    response.headers[.allow] = allowed.rawValue
                    return response
                }
            }
        }
        return router
    }

    /// Builds a new engine with `make` and swaps it in (requests in flight finish on the old one);
    /// on failure the engine in use stays. Every reload, from SIGHUP or the admin route, goes
    /// through here and is reported to `log` in the same words, naming what asked for it.
    public func reload(_ make: () throws -> SelectionEngine, asker: String, log: (String) -> Void) throws {
        do {
            holder.replace(with: try make())
            log("reloaded (\(asker)): \(holder.engine.index.documentCount) items, catalog version \(holder.version)")
        } catch {
            log("reload (\(asker)) failed, the previous catalog stays in use: \(error)")
            throw error
        }
    }

    /// The admin router: `POST /v1/reload` runs `reload` and answers with the new catalog size.
    public func adminRouter(reload make: @escaping @Sendable () throws -> SelectionEngine,
                            log: @escaping @Sendable (String) -> Void = { _ in }) -> Router<BasicRequestContext> {
        let router = Router()
        let service = self
        router.post("v1/reload") { _, _ in
            do {
                try service.reload(make, asker: "POST /v1/reload", log: log)
                return service.json(.object([("status", .string("reloaded")),
                                             ("catalog_items", .number(Double(service.holder.engine.index.documentCount))),
                                             ("catalog_version", .number(Double(service.holder.version)))]))
            } catch {
                return service.json(.object([("error", .object([("code", .string("reload_failed")), ("message", .string("\(error)"))]))]),
                                    status: .internalServerError)
            }
        }
        return router
    }

    // MARK: Endpoints

    func selectOne(_ request: Request) async throws -> Response {
        let started = ContinuousClock.now
        return await withBody(of: request, endpoint: "select", started: started) { bytes, headers in
            let service = self
            let (output, failure): (JSONValue, String?)
            do throws(WorkGate.Refusal) { (output, failure) = try await gate.run { service.answer(bytes, headers: headers, line: 1) } } catch {
                return overloaded(error, endpoint: "select", started: started)
            }
            metrics.record(endpoint: "select", seconds: started.duration(to: .now).seconds, errorCode: failure)
            return json(output, status: failure == nil ? .ok : (failure == "ranker_failed" ? .internalServerError : .badRequest))
        }
    }

    /// The body of a one-request route (`/v1/select`, `/openrtb2/…`) handed to `answer` with the
    /// request's headers: 413 when it is declared or found longer than ``maximumRequestBytes``,
    /// 503 when the memory budget cannot hold it. The body is reserved against the budget before
    /// it is read, and stays reserved until `answer` is done.
    func withBody(of request: Request, endpoint: String, started: ContinuousClock.Instant,
                  _ answer: ([UInt8], HTTPFields) async -> Response) async -> Response {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > maximumRequestBytes {
            return error(RequestError(.lineTooLong, "request body of \(declared) bytes exceeds \(maximumRequestBytes)"),
                         status: .contentTooLarge, endpoint: endpoint, started: started)
        }
        let reserved = min(declared ?? maximumRequestBytes, maximumRequestBytes)
        do { try gate.memory.reserve(reserved) } catch {
            return overloaded(error, endpoint: endpoint, started: started)
        }
        defer { gate.memory.release(reserved) }
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: maximumRequestBytes) } catch {
            return self.error(RequestError(.lineTooLong, "request body exceeds \(maximumRequestBytes) bytes"),
                              status: .contentTooLarge, endpoint: endpoint, started: started)
        }
        return await answer(Array(body.readableBytesView), request.headers)
    }

    /// Answers a batch line by line as its body arrives: memory holds one line (at most
    /// `maximumRequestBytes`) and one chunk, whatever the batch's size. Past `maximumBatchBytes`
    /// (announced by Content-Length: 413 at once; streamed: an error record ends the output).
    func selectBatch(_ request: Request) async throws -> Response {
        let started = ContinuousClock.now
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBatchBytes {
            return error(RequestError(.lineTooLong, "batch body of \(declared) bytes exceeds \(maximumBatchBytes)"),
                         status: .contentTooLarge, endpoint: "batch", started: started)
        }
        // A batch holds at most one line: that much must fit the memory budget. It is reserved
        // where the body is read, so that a response never written reserves nothing.
        let reserved = maximumRequestBytes
        do { try gate.memory.check(adding: reserved) } catch {
            return overloaded(error, endpoint: "batch", started: started)
        }
        let headers = request.headers
        let service = self
        let maximumLine = maximumRequestBytes, maximumBatch = maximumBatchBytes
        let body = request.body
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody { writer in
            /// Ends the output with an error record that stops the batch.
            func end(with error: RequestError, line: Int) async throws {
                service.metrics.record(endpoint: "batch", seconds: started.duration(to: .now).seconds, errorCode: error.code.rawValue)
                try await writer.write(ByteBuffer(string: JSONWriter.string(error.record(line: line, id: nil)) + "\n"))
                try await writer.finish(nil)
            }
            do { try service.gate.memory.reserve(reserved) } catch {
                return try await end(with: RequestError(.overloaded, "\(error)"), line: 1)
            }
            defer { service.gate.memory.release(reserved) }
            var framer = LineFramer(maximumLineBytes: maximumLine)
            var received = 0
            func answer(_ frames: [LineFramer.Frame]) async throws {
                for frame in frames {
                    let output = await service.answer(frame, headers: headers, maximumLine: maximumLine)
                    try await writer.write(ByteBuffer(string: JSONWriter.string(output) + "\n"))
                }
            }
            for try await chunk in body {
                received += chunk.readableBytes
                guard received <= maximumBatch else {
                    let tooLarge = RequestError(.batchTooLarge, "batch body exceeds \(maximumBatch) bytes; the lines before were answered")
                    return try await end(with: tooLarge, line: framer.linesRead + 1)
                }
                let frames = chunk.withUnsafeReadableBytes { framer.feed($0.bindMemory(to: UInt8.self)) }
                try await answer(frames)
            }
            try await answer(framer.finish())
            try await writer.finish(nil)
        })
    }

    /// One batch frame's output line, its selection run through the gate.
    func answer(_ frame: LineFramer.Frame, headers: HTTPFields, maximumLine: Int) async -> JSONValue {
        let lineStarted = ContinuousClock.now
        let output: JSONValue
        var failure: String?
        switch frame {
        case .tooLong(let line, let size):
            failure = RequestError.Code.lineTooLong.rawValue
            output = SelectionLine.tooLong(line: line, bytes: size, limit: maximumLine, limitName: "the line limit").output
        case .line(let number, let line):
            let service = self
            do { (output, failure) = try await gate.run { service.answer(line, headers: headers, line: number) } } catch {
                failure = RequestError.Code.overloaded.rawValue
                output = RequestError(.overloaded, error.description).record(line: number, id: nil)
            }
        }
        metrics.record(endpoint: "batch", seconds: lineStarted.duration(to: .now).seconds, errorCode: failure)
        return output
    }

    /// 503 with `Retry-After`: the service is at a limit, not the request at fault.
    func overloaded(_ refusal: WorkGate.Refusal, endpoint: String, started: ContinuousClock.Instant) -> Response {
        metrics.record(endpoint: endpoint, seconds: started.duration(to: .now).seconds, errorCode: RequestError.Code.overloaded.rawValue)
        var response = json(RequestError(.overloaded, refusal.description).record(line: 1, id: nil), status: .serviceUnavailable)
        response.headers[.retryAfter] = "1"
        return response
    }

    /// Decodes, applies the consent headers, selects; returns the response or error record and
    /// the error code when it failed (the contract's one line path, ``SelectionLine``).
    func answer(_ bytes: [UInt8], headers: HTTPFields, line: Int) -> (JSONValue, String?) {
        let answer = SelectionLine.answer(bytes, line: line, engine: holder.engine, prepare: { request in
            if Self.header("sec-gpc", in: headers) == "1" { request.consent.gpc = true }
            if Self.header("dnt", in: headers) == "1" { request.consent.dnt = true }
        }, finish: { response in
            for name in Self.identityHeaders where Self.header(name, in: headers) != nil {
                response.privacy.ignored.append(.init(field: "header \(name)", reason: "identifies a person or device: never read"))
            }
        })
        return (answer.output, answer.error?.code.rawValue)
    }

    /// The value of header `name` (lower case), if present.
    static func header(_ name: String, in headers: HTTPFields) -> String? {
        headers.first { $0.name.canonicalName == name }?.value
    }

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: JSONWriter.string(value) + "\n")))
    }

    func error(_ error: RequestError, status: HTTPResponse.Status, endpoint: String, started: ContinuousClock.Instant) -> Response {
        metrics.record(endpoint: endpoint, seconds: started.duration(to: .now).seconds, errorCode: error.code.rawValue)
        return json(error.record(line: 1, id: nil), status: status)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
