import Contract
import Selection
import TextAnalysis
import WireFormat

/// One BidRequest (an NDJSON line, or a whole JSON document) to its output: the enriched
/// BidRequest or the BidResponse, or the same error record `select` writes for a bad line.
///
///     bytes ─► JSON ─► enrich │ bid ─► JSON
///                └──── any RequestError ───► error record (line, id when readable)
public enum OpenRTBLine {
    public enum Mode: String, Sendable, CaseIterable {
        case enrich, bid
    }

    public struct Answer: Sendable {
        public var output: JSONValue
        public var error: RequestError?
        /// A bid answer without `seatbid` (the service answers 204).
        public var isNoBid = false
    }

    public static func answer(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, mode: Mode, bidder: Bidder,
                              scratch: AnalysisScratch = AnalysisScratch()) -> Answer {
        var requestID: String?
        do throws(RequestError) {
            let json: JSONValue
            do { json = try JSONParser.parse(bytes) } catch { throw RequestError(.invalidJSON, error.description) }
            if case .string(let id)? = json["id"] { requestID = id }
            switch mode {
            case .enrich:
                return Answer(output: try bidder.enricher.enrich(json, scratch: scratch), error: nil)
            case .bid:
                switch try bidder.bid(json, scratch: scratch) {
                case .bid(let response): return Answer(output: response, error: nil)
                case .noBid(let response): return Answer(output: response, error: nil, isNoBid: true)
                }
            }
        } catch {
            return Answer(output: error.record(line: line, id: requestID), error: error)
        }
    }

    public static func answer(_ bytes: [UInt8], line: Int, mode: Mode, bidder: Bidder,
                              scratch: AnalysisScratch = AnalysisScratch()) -> Answer {
        bytes.withUnsafeBufferPointer { answer($0, line: line, mode: mode, bidder: bidder, scratch: scratch) }
    }
}
