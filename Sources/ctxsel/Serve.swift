import ArgumentParser
import DecisionService
import Dispatch
import Foundation
import Hummingbird
import HummingbirdCore
import Indexing
import Logging
import Selection

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer selection requests over HTTP: POST /v1/select, POST /v1/select/batch, GET /healthz, GET /metrics.",
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

    @Option(help: "Connections served at once; more wait.")
    var maxConnections: Int = 256

    @Option(help: "Seconds a connection may stay idle (or a client take to send) before it is closed.")
    var idleTimeout: Int = 30

    @Option(help: "Largest body of POST /v1/select, in bytes (413 beyond).")
    var maxBodyBytes: Int = DecisionService.defaultMaximumRequestBytes

    @Option(help: "Largest body of POST /v1/select/batch, in bytes (413 beyond).")
    var maxBatchBytes: Int = DecisionService.defaultMaximumBatchBytes

    func validate() throws {
        guard Self.parse(address: address) != nil else { throw ValidationError("--address must be HOST:PORT") }
        if let adminAddress, Self.parse(address: adminAddress) == nil { throw ValidationError("--admin-address must be HOST:PORT") }
        guard maxConnections >= 1, idleTimeout >= 1, maxBodyBytes >= 1024, maxBatchBytes >= maxBodyBytes else {
            throw ValidationError("limits must be positive, bodies at least 1024 bytes, and the batch limit at least the body limit")
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
        let service = DecisionService(holder: holder, maximumRequestBytes: maxBodyBytes, maximumBatchBytes: maxBatchBytes)
        var logger = Logger(label: "ctxsel")
        logger.logLevel = .notice
        let main = Self.parse(address: address)!
        // SIGHUP reloads; a failed reload keeps the engine in use.
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler {
            do {
                holder.replace(with: try options.makeEngine())
                diagnose("reloaded: \(holder.engine.index.documentCount) items, catalog version \(holder.version)")
            } catch {
                diagnose("reload failed, the previous catalog stays in use: \(error)")
            }
        }
        hangup.resume()
        let server = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(Int64(idleTimeout))))
        let configuration = ApplicationConfiguration(address: .hostname(main.host, port: main.port), serverName: nil,
                                                     availableConnectionsDelegate: MaximumAvailableConnections(maxConnections))
        let items = holder.engine.index.documentCount
        let listening = address
        if let adminAddress {
            let admin = Self.parse(address: adminAddress)!
            let adminApp = Application(router: service.adminRouter(reload: { try options.makeEngine() }),
                                       configuration: .init(address: .hostname(admin.host, port: admin.port)), logger: logger)
            try await Application(router: service.router(), server: server, configuration: configuration, services: [adminApp],
                                  onServerRunning: { _ in diagnose("listening on \(listening) with \(items) items") },
                                  logger: logger).runService()
        } else {
            try await Application(router: service.router(), server: server, configuration: configuration,
                                  onServerRunning: { _ in diagnose("listening on \(listening) with \(items) items") },
                                  logger: logger).runService()
        }
        hangup.cancel()
    }
}
