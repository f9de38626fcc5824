import WireFormat

public import Selection
public import TextAnalysis

/// One NDJSON input line to its output line: the one path every front end (`ctxsel select`, the
/// service's single and batch routes, later ones) takes from the bytes a client sent to the
/// response or the error record it gets back.
///
///     bytes ─► decode (identity refused first) ─► prepare ─► engine.select ─► finish ─► JSON
///                      └─────────────── any RequestError ──────────────► error record
///
/// An error record names the input line and, when the line is JSON with a string `id`, that id,
/// so a client can match errors to requests even when the request itself was refused.
public enum SelectionLine {
    /// What a line became: the output, and the error when it is an error record.
    public struct Answer: Sendable {
        public var output: JSONValue
        public var error: RequestError?
    }

    /// Decodes `bytes`, lets `prepare` adjust the request (e.g. consent from HTTP headers),
    /// selects with `engine`, lets `finish` annotate the response, and encodes the result.
    public static func answer(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, engine: SelectionEngine,
                              scratch: AnalysisScratch? = nil,
                              prepare: (inout SelectionRequest) -> Void = { _ in },
                              finish: (inout SelectionResponse) -> Void = { _ in }) -> Answer {
        var requestID: String?
        do throws(RequestError) {
            var request = try SelectionRequest.decode(line: bytes)
            requestID = request.id
            prepare(&request)
            var response = if let scratch { try engine.select(request, scratch: scratch) } else { try engine.select(request) }
            finish(&response)
            return Answer(output: response.json, error: nil)
        } catch {
            return Answer(output: error.record(line: line, id: requestID ?? bestEffortID(bytes)), error: error)
        }
    }

    public static func answer(_ bytes: [UInt8], line: Int, engine: SelectionEngine, scratch: AnalysisScratch? = nil,
                              prepare: (inout SelectionRequest) -> Void = { _ in },
                              finish: (inout SelectionResponse) -> Void = { _ in }) -> Answer {
        bytes.withUnsafeBufferPointer { answer($0, line: line, engine: engine, scratch: scratch, prepare: prepare, finish: finish) }
    }

    /// The record for a line longer than the front end accepts (its bytes were never buffered).
    public static func tooLong(line: Int, bytes: Int, limit: Int, limitName: String) -> Answer {
        let error = RequestError(.lineTooLong, "line of \(bytes) bytes exceeds \(limitName) \(limit)")
        return Answer(output: error.record(line: line, id: nil), error: error)
    }

    /// The request's id when the line is JSON with a string id (`id` is the request's own label,
    /// never an identity field, whose values are not read).
    static func bestEffortID(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let json = try? JSONParser.parse(bytes), case .string(let id)? = json["id"] else { return nil }
        return id
    }
}
