import FuzzSupport
import TextAnalysis

/// The analyzer (PCRE2 words, ICU words, folding, elision, stop words, Snowball, PII scrubbing) on any text, in a
/// language chosen by the first byte; then CLD2's reading of the text and the page's language chosen from it,
/// as a page that declares none is read (the scratch's word tables switch between languages all along).
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
    if let detected = LanguageDetector.detect(text) {
        let shares = detected.found.map(\.share)
        guard !detected.code.isEmpty, (0...1).contains(detected.share), shares.allSatisfy({ (0...1).contains($0) }),
              shares.reduce(0, +) <= 1.0001 else { fatalError("detection out of range: \(detected) for \(text.debugDescription)") }
    }
    let read = analyzer.analyzeInItsLanguage(.plainText(text, title: nil), declared: nil, scratch: scratch)
    guard read.analyzed.language == read.language.code else {
        fatalError("analysed in \(read.analyzed.language), chose \(read.language) for \(text.debugDescription)")
    }
    return 0
}

@_cdecl("FuzzAnalyzer_main")
public func fuzzAnalyzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv) { fuzzAnalyzer($0, $1) }
}
