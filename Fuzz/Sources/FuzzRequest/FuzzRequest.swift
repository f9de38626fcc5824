import FuzzSupport
import Contract
import Selection

/// Request decoding on any line: a request or a `RequestError`, never a trap; an error's
/// field names no key that could be personal data as written.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    do {
        _ = try SelectionRequest.decode(line: UnsafeBufferPointer(start: data, count: count))
    } catch {
        if let field = error.field, field.contains("@") { fatalError("an error echoes a key with @: \(field)") }
    }
    return 0
}

@_cdecl("FuzzRequest_main")
public func fuzzRequestMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv) { fuzzRequest($0, $1) }
}
