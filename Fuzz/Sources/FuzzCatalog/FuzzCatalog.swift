import FuzzSupport
import Selection

/// The catalog loader on any bytes: items or a `CatalogLoadError` naming a line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCatalog(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    do {
        _ = try CatalogLoader.parse(bytes: UnsafeBufferPointer(start: data, count: count), source: "fuzz.jsonl")
    } catch let error as CatalogLoadError {
        if error.line == nil { fatalError("an error without its line: \(error)") }
    } catch {
        fatalError("the catalog loader threw something other than a CatalogLoadError: \(error)")
    }
    return 0
}

@_cdecl("FuzzCatalog_main")
public func fuzzCatalogMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv) { fuzzCatalog($0, $1) }
}
