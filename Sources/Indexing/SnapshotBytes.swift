import Foundation
import SelectionCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a snapshot, alive as long as an index reads its postings from them or an item
/// its body: a file mapped read-only into memory, or a copy of bytes handed in.
///
/// A mapped file must not be truncated or rewritten in place while an index loaded from it is
/// alive (``IndexSnapshot/write(_:to:)`` replaces a file whole, which is safe: the mapping keeps
/// the old one).
final class SnapshotBytes: TextStore, @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let release: () -> Void

    /// Maps the file at `path`.
    init(mapping path: String) throws {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; the
        // file type is checked before anything is read.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw SnapshotError.unreadable("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SnapshotError.unreadable("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw SnapshotError.unreadable("cannot read \(path): not a regular file (a snapshot is mapped, so it cannot be a pipe, device or folder)")
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            release = {}
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw SnapshotError.unreadable("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        release = { munmap(address, size) }
    }

    /// A copy of `data`, aligned for every number a snapshot holds.
    init(copying data: Data) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 16)
        data.withUnsafeBytes { memory.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(memory)
        release = { memory.deallocate() }
    }

    deinit { release() }

    func text(at offset: Int, count: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]), as: UTF8.self)
    }
}
