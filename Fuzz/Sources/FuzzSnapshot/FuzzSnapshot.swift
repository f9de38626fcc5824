import FuzzSupport
import Foundation
import Indexing
import SelectionCore

/// The snapshot loader on any bytes, re-sealed with a valid checksum so that mutations reach
/// the decoder's own checks: a loaded index or a `SnapshotError`, never a trap. An index it
/// loads answers queries without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshot(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    var bytes = Array(UnsafeBufferPointer(start: data, count: count))
    if bytes.count >= 20 { bytes = IndexSnapshot.resealed(bytes) }
    guard let index = try? IndexSnapshot.load(Data(bytes)) else { return 0 }
    for model in [RetrievalModel.bm25, .cosine] {
        _ = index.search([WeightedTerm("tea", weight: 1), WeightedTerm("coffe", weight: 0.5)], model: model, limit: 3)
    }
    for position in 0..<min(index.documentCount, 4) { _ = index.items[position].body }
    return 0
}

@_cdecl("FuzzSnapshot_main")
public func fuzzSnapshotMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv) { fuzzSnapshot($0, $1) }
}
