import FuzzSupport
import Contract
import Selection
import WireFormat

/// The JSON parser on any bytes: it returns a value or throws, and a value it returns writes
/// back to JSON that parses to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    let written = JSONWriter.string(value)
    guard let again = try? JSONParser.parse(written) else { fatalError("written JSON does not parse: \(written)") }
    if again != value, !value.containsNaN { fatalError("round trip changed the value: \(written)") }
    return 0
}

extension JSONValue {
    /// NaN is never equal to itself; values holding one are compared by their writing.
    var containsNaN: Bool {
        switch self {
        case .number(let number): number.isNaN
        case .array(let values): values.contains { $0.containsNaN }
        case .object(let members): members.contains { $0.1.containsNaN }
        default: false
        }
    }
}

@_cdecl("FuzzJSON_main")
public func fuzzJSONMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv) { fuzzJSON($0, $1) }
}
