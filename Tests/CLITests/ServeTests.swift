import Foundation
import Selection
import Testing
@testable import SessionSignals

#if canImport(Glibc)
import Glibc
#endif

/// `ctxsel serve` on a free loopback port, stopped (SIGTERM) when the test is done.
final class RunningService {
    let process = Process()
    let port: Int
    let stderrPath: String

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        stderrPath = temporaryFolder.appendingPathComponent("serve-\(UUID().uuidString).err").path
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = executableURL()
        process.arguments = ["serve", "--address", "127.0.0.1:0"] + arguments
        process.currentDirectoryURL = temporaryFolder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            usleep(50_000)
            let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last!)
            }
        }
        guard let found else {
            process.terminate()
            throw ServeTestError("serve did not start: \((try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")")
        }
        port = found
    }

    /// Stops the service with SIGTERM and returns how long it took to exit.
    @discardableResult
    func stop() -> TimeInterval {
        let started = Date()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Date().timeIntervalSince(started)
    }

    deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }

    /// The service's peak resident memory so far, in bytes (VmHWM).
    var peakResidentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A raw TCP connection to the service, with a receive timeout: what a slow or hostile client
/// can do, and what a plain one needs.
final class Connection {
    let socket: Int32

    init(port: Int, timeout: TimeInterval = 10) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(socket); throw ServeTestError("connect: \(String(cString: strerror(errno)))") }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            offset += count
        }
    }

    /// Everything the service sends until it closes the connection or the timeout passes.
    func receiveAll() -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether the service closed the connection (waiting up to the receive timeout).
    var closedByPeer: Bool {
        var byte: UInt8 = 0
        return recv(socket, &byte, 1, 0) == 0
    }
}

/// One HTTP/1.1 exchange on a new connection; the status and the body.
func http(_ port: Int, _ method: String, _ path: String, body: String = "", timeout: TimeInterval = 10) throws
    -> (status: Int, headers: String, body: String) {
    let connection = try Connection(port: port, timeout: timeout)
    connection.send("\(method) \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    let text = connection.receiveAll()
    guard let split = text.range(of: "\r\n\r\n") else { return (0, "", text) }
    let head = String(text[..<split.lowerBound])
    let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    var payload = String(text[split.upperBound...])
    if head.lowercased().contains("transfer-encoding: chunked") { payload = dechunk(payload) }
    return (status, head, payload)
}

func dechunk(_ text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
        let start = lineEnd.upperBound
        let bytes = Array(rest[start...].utf8)
        result += String(decoding: bytes.prefix(size), as: UTF8.self)
        rest = Substring(String(decoding: bytes.dropFirst(size + 2), as: UTF8.self))
    }
    return result
}

let selectBody = #"{"id": "ok", "page": {"title": "green tea", "text": "tea leaves"}, "slots": [{"id": "s", "count": 1}]}"#

@Suite(.serialized) struct ServeTests {
    let catalog: String

    init() throws { catalog = try write(catalogText, to: "serve-catalog.jsonl") }

    @Test func slowClientsAtTwiceTheConnectionLimitDoNotStarveTheService() throws {
        let service = try RunningService(["--catalog", catalog, "--max-connections", "8", "--header-timeout", "60"])
        defer { service.stop() }
        // Sixteen clients that start a request head and never finish it.
        let slow = try (0..<16).map { _ in
            let connection = try Connection(port: service.port, timeout: 1)
            connection.send("POST /v1/select HTTP/1.1\r\nHost: test\r\n")
            return connection
        }
        let health = try http(service.port, "GET", "/healthz", timeout: 5)
        #expect(health.status == 200, "\(health)")
        let answer = try http(service.port, "POST", "/v1/select", body: selectBody, timeout: 5)
        #expect(answer.status == 200, "\(answer)")
        #expect(answer.body.contains(#""id":"ok""#))
        // Connections still in the listen queue are accepted, and evicted, as the service gets to them.
        var open = slow
        let deadline = Date().addingTimeInterval(20)
        while slow.count - open.count < 8, Date() < deadline { open = open.filter { !$0.closedByPeer } }
        let closed = slow.count - open.count
        #expect(closed >= 8, "the slow clients waiting longest were closed to make room (\(closed) of 16)")
    }

    @Test func whenEveryConnectionIsMidRequestANewOneIsClosedUntilOneFinishes() throws {
        let service = try RunningService(["--catalog", catalog, "--max-connections", "2", "--body-timeout", "1"])
        defer { service.stop() }
        // Two clients that send a head and stall in their bodies: both mid-request, neither evictable.
        let stalled = try (0..<2).map { _ in
            let connection = try Connection(port: service.port, timeout: 10)
            connection.send("POST /v1/select HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n{")
            return connection
        }
        usleep(200_000)
        let turnedAway = try Connection(port: service.port, timeout: 5)
        turnedAway.send("GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(!turnedAway.receiveAll().contains("200 OK"), "no room: the new connection is closed")
        // The stalled bodies pass their timeout, and the service has room again.
        for connection in stalled { #expect(connection.closedByPeer) }
        #expect(try http(service.port, "GET", "/healthz").status == 200)
    }

    @Test func aHeadThatDoesNotArriveInTimeClosesTheConnection() throws {
        let service = try RunningService(["--catalog", catalog, "--header-timeout", "0.5"])
        defer { service.stop() }
        let connection = try Connection(port: service.port, timeout: 5)
        connection.send("GET /healthz HTTP/1.1\r\n")
        #expect(connection.closedByPeer, "closed after the header timeout")
        let idle = try Connection(port: service.port, timeout: 5)
        #expect(idle.closedByPeer, "a connection that sends nothing is closed too")
    }

    @Test func aBodyThatStallsClosesTheConnection() throws {
        let service = try RunningService(["--catalog", catalog, "--body-timeout", "0.5"])
        defer { service.stop() }
        let connection = try Connection(port: service.port, timeout: 5)
        connection.send("POST /v1/select HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n{\"page\":")
        let text = connection.receiveAll()
        #expect(!text.contains("200 OK"), "\(text)")
        #expect(try http(service.port, "GET", "/healthz").status == 200)
    }

    @Test func overTheMemoryBudgetWorkIsTurnedAwayAndHealthStillAnswers() throws {
        let service = try RunningService(["--catalog", catalog, "--memory-budget", "1"])
        defer { service.stop() }
        let refused = try http(service.port, "POST", "/v1/select", body: selectBody)
        #expect(refused.status == 503, "\(refused)")
        #expect(refused.headers.lowercased().contains("retry-after: 1"))
        #expect(refused.body.contains("overloaded"))
        #expect(try http(service.port, "GET", "/healthz").status == 200)
    }

    @Test func concurrentLargeBatchesStayWithinAMemoryBound() async throws {
        let service = try RunningService(["--catalog", catalog, "--max-body-bytes", "1048576", "--max-batch-bytes", "67108864"])
        defer { service.stop() }
        let before = service.peakResidentBytes
        // Six batches of 16 MB each, concurrently: lines of almost 1 MiB that are not JSON, then
        // one valid request. Held whole, they would take 96 MB and more.
        let junk = String(repeating: "x", count: 1_000_000) + "\n"
        let batch = String(repeating: junk, count: 16) + selectBody + "\n"
        let port = service.port
        let outputs = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for _ in 0..<6 {
                group.addTask { let answer = try http(port, "POST", "/v1/select/batch", body: batch, timeout: 120); return (answer.status, answer.body) }
            }
            return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
        }
        for (status, body) in outputs {
            #expect(status == 200)
            let lines = body.split(separator: "\n")
            #expect(lines.count == 17, "one output line per input line")
            #expect(lines.last?.contains(#""id":"ok""#) ?? false)
        }
        let growth = service.peakResidentBytes - before
        #expect(growth < 64 << 20, "peak resident memory grew by \(growth >> 20) MiB for 96 MB of batches in flight")
    }

    @Test func aBatchPastItsLimitEndsWithAnErrorRecord() throws {
        let service = try RunningService(["--catalog", catalog, "--max-body-bytes", "1024", "--max-batch-bytes", "4096"])
        defer { service.stop() }
        let connection = try Connection(port: service.port, timeout: 10)
        // Chunked, so no Content-Length announces the size: the limit is found while reading.
        let line = selectBody + "\n"
        var request = "POST /v1/select/batch HTTP/1.1\r\nHost: test\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
        for _ in 0..<60 { request += String(line.utf8.count, radix: 16) + "\r\n" + line + "\r\n" }
        request += "0\r\n\r\n"
        connection.send(request)
        let text = connection.receiveAll()
        let body = dechunk(String(text[text.range(of: "\r\n\r\n")!.upperBound...]))
        let lines = body.split(separator: "\n")
        #expect(lines.count > 1 && lines.count < 60, "\(lines.count)")
        #expect(lines.last?.contains("batch_too_large") ?? false, "\(lines.last ?? "")")
    }

    @Test func aRankerThatNeverReadsFailsItsRequestAndTheServiceStaysUp() async throws {
        let pids = temporaryFolder.appendingPathComponent("serve-ranker-\(UUID().uuidString).pids").path
        let ranker = try write("#!/bin/sh\necho $$ >> \(pids)\nexec sleep 600\n", to: "serve-never-reads.sh")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ranker)
        let service = try RunningService(["--catalog", catalog, "--ranker", "exec:\(ranker)", "--ranker-timeout", "1"])
        // Six slots of fifty: the candidates are more than a pipe holds.
        let slots = (0..<6).map { #"{"id": "s\#($0)", "count": 50}"# }.joined(separator: ",")
        let body = #"{"page": {"title": "green tea coffee newsletter brew"}, "slots": [\#(slots)]}"#
        let port = service.port
        async let failing = Task.detached { try http(port, "POST", "/v1/select", body: body, timeout: 20) }.value
        try await Task.sleep(for: .milliseconds(200))
        #expect(try http(port, "GET", "/healthz", timeout: 5).status == 200, "health answers while the ranker hangs")
        let answer = try await failing
        #expect(answer.status == 500, "\(answer)")
        #expect(answer.body.contains("ranker_failed"), "\(answer.body)")
        #expect(service.stop() < 10, "SIGTERM stops the service")
        let started = (try? String(contentsOfFile: pids, encoding: .utf8))?.split(separator: "\n").compactMap { pid_t($0) } ?? []
        #expect(!started.isEmpty)
        usleep(300_000)
        for pid in started {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            #expect(stat.isEmpty || stat.contains(") Z"), "ranker \(pid) outlived the service: \(stat)")
        }
    }

    @Test func adminAndSIGHUPReloadsAreLoggedAlike() throws {
        let catalog = try write(catalogText, to: "reload-catalog.jsonl")
        let service = try RunningService(["--catalog", catalog, "--admin-address", "127.0.0.1:0"])
        defer { service.stop() }
        func log() -> String { (try? String(contentsOfFile: service.stderrPath, encoding: .utf8)) ?? "" }
        var adminPort: Int?
        let deadline = Date().addingTimeInterval(30)
        while adminPort == nil, Date() < deadline {
            if let range = log().range(of: #"admin listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                adminPort = Int(log()[range].split(separator: ":").last!)
            } else { usleep(50_000) }
        }
        let port = try #require(adminPort, "\(log())")
        let answer = try http(port, "POST", "/v1/reload")
        #expect(answer.status == 200, "\(answer)")
        #expect(log().contains("reloaded (POST /v1/reload): 4 items, catalog version 2"), "\(log())")
        kill(service.process.processIdentifier, SIGHUP)
        let hupDeadline = Date().addingTimeInterval(30)
        while !log().contains("reloaded (SIGHUP)"), Date() < hupDeadline { usleep(50_000) }
        #expect(log().contains("reloaded (SIGHUP): 4 items, catalog version 3"), "\(log())")
    }

    @Test func tokensWithExtremeValuesAreRefusedNotFatal() throws {
        let secret = "a deployer secret of 32 bytes!!!"
        let codec = try SessionTokenCodec(secret: Array(secret.utf8))
        let payloads = [
            #"{"v":1,"start":-9223372036854775000,"updated":1763892000,"terms":[],"shown":[]}"#,
            #"{"v":1,"start":1763892000,"updated":1e19,"terms":[],"shown":[]}"#,
            #"{"v":1,"start":1763892000,"updated":1763892000,"terms":[],"shown":[["ad:tea",9223372036854775807,1763892000]]}"#,
            #"{"v":1,"start":1763892000,"updated":1763892000,"terms":[["tea",1e308]],"shown":[]}"#,
            #"{"v":1,"start":1763892000,"updated":1763892000,"terms":[["tea",-1e308]],"shown":[]}"#,
        ]
        let lines = payloads.map { payload in
            let token = codec.seal(payload: Array(payload.utf8))
            return #"{"page": {"title": "green tea", "text": "cancer chemotherapy tea"}, "consent": {"level": "session"}, "session": "\#(token)", "now": "2025-11-23T10:00:00Z"}"#
        }
        let keyFile = try write(secret, to: "session.key")
        // The filter: every line answered, each token refused with its reason.
        let input = try write(lines.joined(separator: "\n") + "\n", to: "extreme-tokens.jsonl")
        let result = try run(["select", "--catalog", catalog, "--session-key-file", keyFile, input])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == payloads.count)
        for line in result.lines {
            #expect(line.contains("out of range"), "\(line)")
        }
        // The service: the same, and it is still up afterwards.
        let service = try RunningService(["--catalog", catalog, "--session-key-file", keyFile])
        defer { service.stop() }
        for line in lines {
            let answer = try http(service.port, "POST", "/v1/select", body: line)
            #expect(answer.status == 200, "\(answer)")
            #expect(answer.body.contains("out of range"), "\(answer.body)")
        }
        #expect(try http(service.port, "GET", "/healthz").status == 200)
    }
}
