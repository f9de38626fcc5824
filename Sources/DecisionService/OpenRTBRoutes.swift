import Contract
import Foundation
import Hummingbird
import OpenRTB
import PageRendering
import Selection
import SelectionCore
import Synchronization
import WireFormat

/// The bidder of the engine in use, built once per engine (its templates compiled once).
final class BidderCache: Sendable {
    private let current = Mutex<(version: Int, bidder: Bidder)?>(nil)

    func bidder(for holder: EngineHolder, templates: [ItemKind: String]) throws -> Bidder {
        let version = holder.version
        if let cached = current.withLock({ $0 }), cached.version == version { return cached.bidder }
        let bidder = Bidder(renderer: try PageRenderer(engine: holder.engine, templates: templates))
        current.withLock { $0 = (version, bidder) }
        return bidder
    }
}

extension DecisionService {
    /// `POST /openrtb2/enrich` and `POST /openrtb2/bid`: one BidRequest in the body, answered
    /// through ``OpenRTBLine`` as the filter answers it. 200 with the enriched request or the
    /// BidResponse, 204 without a body for a no-bid, 400 with an error record for a bad request.
    func openRTB(_ request: Request, mode: OpenRTBLine.Mode) async throws -> Response {
        let started = ContinuousClock.now
        let endpoint = "openrtb_\(mode.rawValue)"
        return await withBody(of: request, endpoint: endpoint, started: started) { bytes, _ in
            let bidder: Bidder
            do { bidder = try bidders.bidder(for: holder, templates: templates) } catch {
                return self.error(RequestError(.overloaded, "the service has no ad templates for OpenRTB: \(error)"),
                                  status: .serviceUnavailable, endpoint: endpoint, started: started)
            }
            let answer: OpenRTBLine.Answer
            do throws(WorkGate.Refusal) { answer = try await gate.run { OpenRTBLine.answer(bytes, line: 1, mode: mode, bidder: bidder) } } catch {
                return overloaded(error, endpoint: endpoint, started: started)
            }
            metrics.record(endpoint: endpoint, seconds: started.duration(to: .now).seconds, errorCode: answer.error?.code.rawValue)
            if answer.error != nil { return json(answer.output, status: .badRequest) }
            if answer.isNoBid { return Response(status: .noContent) }
            return json(answer.output)
        }
    }
}
