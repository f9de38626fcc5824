import FuzzSupport
import TextAnalysis

/// The analyzer (PCRE2 words, ICU words, folding, elision, stop words, Snowball, PII scrubbing) on any text, in a
/// language chosen by the first byte.
let languages = ["en", "de", "fr", "es", "tr", "ru", "el", "zh", "ar", "xx", "ja", "it", "ko"]
let analyzer = Analyzer()
nonisolated(unsafe) let scratch = AnalysisScratch()  // libFuzzer calls the target from one thread

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnalyzer(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard count > 0 else { return 0 }
    let language = languages[Int(data[0]) % languages.count]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: count - 1), as: UTF8.self)
    let analyzed = analyzer.analyze(.plainText(text, title: nil), language: language, scratch: scratch)
    for token in analyzed.tokens where token.term.isEmpty { fatalError("an empty term from \(text.debugDescription)") }
    return 0
}

@_cdecl("FuzzAnalyzer_main")
public func fuzzAnalyzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv) { fuzzAnalyzer($0, $1) }
}
