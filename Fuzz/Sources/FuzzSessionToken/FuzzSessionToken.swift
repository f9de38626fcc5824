import FuzzSupport
import SessionSignals

/// The session token opener on any text, twice: as it comes (nearly always refused by the
/// HMAC), and sealed with the key so that the payload's JSON itself is what is fuzzed (the
/// input is then the payload a leaked key could seal).
let codec = try! SessionTokenCodec(secret: Array("ctxsel fuzzing key, never deployed".utf8))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSessionToken(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? codec.open(String(decoding: bytes, as: UTF8.self), now: 1_763_892_000)
    if let state = try? codec.open(codec.seal(payload: bytes), now: 1_763_892_000) {
        // An opened state must fold and seal again without trapping.
        var state = state
        state.fold(pageTerms: [.init(term: "tea", weight: 1)], now: 1_763_892_000)
        state.recordShown(["ad:tea"], now: 1_763_892_000)
        _ = codec.seal(state)
    }
    return 0
}

@_cdecl("FuzzSessionToken_main")
public func fuzzSessionTokenMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv) { fuzzSessionToken($0, $1) }
}
