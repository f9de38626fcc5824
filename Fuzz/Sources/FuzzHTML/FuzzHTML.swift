import FuzzSupport
import TextAnalysis

/// The HTML field scanner on any text (bytes decoded as UTF-8 with repairs, as a page's HTML
/// arrives in a request).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTML(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let html = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    _ = HTMLTextExtractor().extract(html)
    return 0
}

@_cdecl("FuzzHTML_main")
public func fuzzHTMLMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv) { fuzzHTML($0, $1) }
}
