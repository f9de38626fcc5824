/// Fixed-width numbers the index reads: either memory of its own, or a run of a snapshot file
/// mapped into memory and read where it lies, so that loading a snapshot copies no postings and
/// clears no fresh pages for them.
///
/// Immutable once made, so any number of searches may read it at once.
struct IndexArray<Element: BitwiseCopyable>: @unchecked Sendable, RandomAccessCollection {
    let buffer: UnsafeBufferPointer<Element>
    /// Keeps `buffer`'s memory alive: an ``OwnedElements`` or the ``SnapshotBytes`` it lies in.
    private let owner: AnyObject

    init(_ values: [Element]) {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: values.count)
        _ = memory.initialize(from: values)
        buffer = UnsafeBufferPointer(memory)
        owner = OwnedElements(memory)
    }

    /// Elements read in place from `bytes`, which the array keeps alive.
    init(_ elements: UnsafeBufferPointer<Element>, in bytes: SnapshotBytes) {
        buffer = elements
        owner = bytes
    }

    var startIndex: Int { 0 }
    var endIndex: Int { buffer.count }

    @inline(__always)
    subscript(position: Int) -> Element { buffer[position] }
}

extension IndexArray: Equatable where Element: Equatable {
    static func == (lhs: IndexArray, rhs: IndexArray) -> Bool { lhs.buffer.elementsEqual(rhs.buffer) }
}

/// Memory an ``IndexArray`` allocated for itself, freed with the last array that reads it.
private final class OwnedElements<Element> {
    let memory: UnsafeMutableBufferPointer<Element>
    init(_ memory: UnsafeMutableBufferPointer<Element>) { self.memory = memory }
    deinit { memory.deallocate() }
}
