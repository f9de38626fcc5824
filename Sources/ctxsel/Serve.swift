import ArgumentParser
import DecisionService
import Dispatch
import Foundation
import Hummingbird
import HummingbirdCore
import Indexing
import Logging
import NIOCore
import PageRendering
import Selection
import SelectionCore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer selection requests over HTTP: POST /v1/select, POST /v1/select/batch, POST /openrtb2/enrich, POST /openrtb2/bid, GET /healthz, GET /metrics.",
        discussion: """
            The same engine and request/response shapes as `select`. No access log; identity headers \
            (X-Forwarded-For, Forwarded, Cookie, User-Agent…) are never read and are listed as ignored \
            in each receipt; Sec-GPC: 1 and DNT: 1 cap consent at context. SIGHUP, or POST /v1/reload on \
            --admin-address, reloads the catalog or index and swaps the engine without dropping requests. \
            SIGTERM and SIGINT stop gracefully, finishing requests in flight.
            """
    )

    @OptionGroup var engineOptions: EngineOptions

    @Option(help: "Address to listen on, HOST:PORT.")
    var address: String = "127.0.0.1:8080"

    @Option(help: "Address for the admin endpoint POST /v1/reload, HOST:PORT (none by default).")
    var adminAddress: String?

    @Option(help: "Open connections at most; at the limit, the one waiting longest for a request head is closed to make room.")
    var maxConnections: Int = ServiceLimits().maximumConnections

    @Option(help: "Seconds a connection may stay idle before it is closed.")
    var idleTimeout: Int = 30

    @Option(help: "Seconds from a connection's start, or its previous response, to a complete request head.")
    var headerTimeout: Double = ServiceLimits().headerTimeout

    @Option(help: "Seconds a request body may pause; after that long it must also average --min-body-rate.")
    var bodyTimeout: Double = ServiceLimits().bodyTimeout

    @Option(help: "Seconds a response may wait for a client that has stopped reading it; then the connection is closed.")
    var writeTimeout: Double = ServiceLimits().writeTimeout

    @Option(help: "Slowest request body accepted, in bytes per second, after its first --body-timeout seconds.")
    var minBodyRate: Int = ServiceLimits().minimumBodyBytesPerSecond

    @Option(help: "Selections running at once, each on its own thread; more wait in a queue.")
    var maxConcurrentSelections: Int = ServiceLimits().maximumConcurrentSelections

    @Option(help: "Selections waiting for a thread; beyond, requests get 503 with Retry-After.")
    var maxQueuedSelections: Int = ServiceLimits().maximumQueuedSelections

    @Option(help: "Resident memory in MiB past which new work gets 503 (bodies being read count before they arrive); 0 for none.")
    var memoryBudget: Int = ServiceLimits().memoryBudgetBytes >> 20

    @Option(help: "Largest body of POST /v1/select, in bytes (413 beyond).")
    var maxBodyBytes: Int = DecisionService.defaultMaximumRequestBytes

    @Option(help: "Largest body of POST /v1/select/batch, in bytes (413 beyond).")
    var maxBatchBytes: Int = DecisionService.defaultMaximumBatchBytes

    @Option(help: "Folder with ad.mustache, content.mustache and house.mustache for OpenRTB bids' adm (default: the default Catalog/templates).")
    var templates: String?

    func validate() throws {
        guard Self.parse(address: address) != nil else { throw ValidationError("--address must be HOST:PORT") }
        if let adminAddress, Self.parse(address: adminAddress) == nil { throw ValidationError("--admin-address must be HOST:PORT") }
        guard maxConnections >= 1, idleTimeout >= 1, maxBodyBytes >= 1024, maxBatchBytes >= maxBodyBytes else {
            throw ValidationError("limits must be positive, bodies at least 1024 bytes, and the batch limit at least the body limit")
        }
        guard headerTimeout > 0, bodyTimeout > 0, writeTimeout > 0, minBodyRate >= 0, maxConcurrentSelections >= 1, maxQueuedSelections >= 0,
              memoryBudget >= 0 else {
            throw ValidationError("timeouts must be positive, at least one selection must run, and rates, queues and budgets not negative")
        }
    }

    static func parse(address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        let options = engineOptions
        let holder = EngineHolder(try options.makeEngine())
        var limits = ServiceLimits()
        limits.maximumConnections = maxConnections
        limits.headerTimeout = headerTimeout
        limits.bodyTimeout = bodyTimeout
        limits.writeTimeout = writeTimeout
        limits.minimumBodyBytesPerSecond = minBodyRate
        limits.maximumConcurrentSelections = maxConcurrentSelections
        limits.maximumQueuedSelections = maxQueuedSelections
        limits.memoryBudgetBytes = memoryBudget << 20
        let templateSources: [ItemKind: String]
        do {
            templateSources = try PageRenderer.templateSources(in: URL(fileURLWithPath: templates ?? DefaultData.path("Catalog/templates")))
        } catch {
            if templates != nil { throw ToolError("\(error)") }
            diagnose("no ad templates (\(error)): POST /openrtb2/bid will answer 503")
            templateSources = [:]
        }
        let service = DecisionService(holder: holder, maximumRequestBytes: maxBodyBytes, maximumBatchBytes: maxBatchBytes,
                                      limits: limits, templates: templateSources)
        var logger = Logger(label: "ctxsel")
        logger.logLevel = .notice
        let main = Self.parse(address: address)!
        // SIGHUP reloads; a failed reload keeps the engine in use.
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler {
            try? service.reload({ try options.makeEngine() }, asker: "SIGHUP", log: diagnose)
        }
        hangup.resume()
        let server = service.httpServer(idleTimeout: .seconds(idleTimeout))
        // No accept limit: the service's connection registry closes waiting connections instead,
        // so that new clients are never left in the listen queue behind slow ones.
        let configuration = ApplicationConfiguration(address: .hostname(main.host, port: main.port), serverName: nil)
        let items = holder.engine.index.documentCount
        let host = main.host
        let listening: @Sendable (any Channel) async -> Void = { channel in
            diagnose("listening on \(host):\(channel.localAddress?.port ?? main.port) with \(items) items")
        }
        if let adminAddress {
            let admin = Self.parse(address: adminAddress)!
            let adminApp = Application(router: service.adminRouter(reload: { try options.makeEngine() }, log: diagnose),
                                       configuration: .init(address: .hostname(admin.host, port: admin.port)),
                                       onServerRunning: { channel in
                                           diagnose("admin listening on \(admin.host):\(channel.localAddress?.port ?? admin.port)")
                                       }, logger: logger)
            try await Application(router: service.router(), server: server, configuration: configuration, services: [adminApp],
                                  onServerRunning: listening,
                                  logger: logger).runService()
        } else {
            try await Application(router: service.router(), server: server, configuration: configuration,
                                  onServerRunning: listening,
                                  logger: logger).runService()
        }
        hangup.cancel()
    }
}
