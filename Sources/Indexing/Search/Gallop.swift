/// The first posting at or after `start` whose document is ≥ `target` (galloping search).
@inline(__always)
func advance(_ documents: UnsafeBufferPointer<UInt32>, from start: Int, to target: UInt32, end: Int) -> Int {
    guard start < end, documents[start] < target else { return start }
    var step = 1
    var low = start
    var high = start + 1
    while high < end, documents[high] < target {
        low = high
        step <<= 1
        high = min(end, high + step)
    }
    high = min(high, end)
    while low < high {
        let mid = (low + high) >> 1
        if documents[mid] < target { low = mid + 1 } else { high = mid }
    }
    return low
}
