import Synchronization

/// Counters and a latency histogram in Prometheus' text format. Labels are endpoints and error
/// codes only: never a URL, a header or anything from a page.
public final class ServiceMetrics: Sendable {
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct State {
        var requests: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var bucketCounts = [Int](repeating: 0, count: ServiceMetrics.latencyBuckets.count)
        var latencyCount = 0
        var latencySum = 0.0
    }

    private let state = Mutex(State())

    public init() {}

    public func record(endpoint: String, seconds: Double, errorCode: String?) {
        state.withLock { state in
            state.requests[endpoint, default: 0] += 1
            if let errorCode { state.errors[errorCode, default: 0] += 1 }
            state.latencyCount += 1
            state.latencySum += seconds
            for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound { state.bucketCounts[index] += 1 }
        }
    }

    /// The exposition text; `catalogItems` and `catalogVersion` describe the engine in use.
    public func exposition(catalogItems: Int, catalogVersion: Int) -> String {
        state.withLock { state in
            var lines = ["# HELP ctxsel_requests_total Requests answered, by endpoint.", "# TYPE ctxsel_requests_total counter"]
            for endpoint in state.requests.keys.sorted() {
                lines.append("ctxsel_requests_total{endpoint=\"\(endpoint)\"} \(state.requests[endpoint]!)")
            }
            lines += ["# HELP ctxsel_errors_total Error records and responses, by code.", "# TYPE ctxsel_errors_total counter"]
            for code in state.errors.keys.sorted() { lines.append("ctxsel_errors_total{code=\"\(code)\"} \(state.errors[code]!)") }
            lines += ["# HELP ctxsel_request_duration_seconds Time to answer a request.",
                      "# TYPE ctxsel_request_duration_seconds histogram"]
            for (index, bound) in Self.latencyBuckets.enumerated() {
                lines.append("ctxsel_request_duration_seconds_bucket{le=\"\(bound)\"} \(state.bucketCounts[index])")
            }
            lines.append("ctxsel_request_duration_seconds_bucket{le=\"+Inf\"} \(state.latencyCount)")
            lines.append("ctxsel_request_duration_seconds_sum \(state.latencySum)")
            lines.append("ctxsel_request_duration_seconds_count \(state.latencyCount)")
            lines += ["# HELP ctxsel_catalog_items Items in the catalog in use.", "# TYPE ctxsel_catalog_items gauge",
                      "ctxsel_catalog_items \(catalogItems)",
                      "# HELP ctxsel_catalog_version Catalog loads since start (1 = the first).", "# TYPE ctxsel_catalog_version gauge",
                      "ctxsel_catalog_version \(catalogVersion)"]
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
