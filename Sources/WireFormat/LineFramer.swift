/// Splits a byte stream into NDJSON lines, fed in chunks of any size.
///
/// A line longer than `maximumLineBytes` is not buffered: its bytes are skipped up to the next
/// newline and it comes out as ``Frame/tooLong(line:bytes:)``, so one huge line costs no memory
/// and the stream goes on. `\r\n` endings are accepted; blank lines are counted and skipped;
/// a last line without a newline is still a line.
public struct LineFramer {
    public enum Frame: Hashable, Sendable {
        case line(number: Int, bytes: [UInt8])
        case tooLong(line: Int, bytes: Int)
    }

    public let maximumLineBytes: Int
    public static let defaultMaximumLineBytes = 8 << 20

    private var buffer: [UInt8] = []
    private var skipping = false
    private var skippedBytes = 0
    private var lineNumber = 0

    /// Lines closed so far, blank ones included: after ``finish()``, the number of lines in the
    /// stream, which is what a second stream's line numbers continue from.
    public var linesRead: Int { lineNumber }

    public init(maximumLineBytes: Int = LineFramer.defaultMaximumLineBytes) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// The complete frames in `chunk` (plus what earlier chunks left open).
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> [Frame] {
        var frames: [Frame] = []
        var start = 0
        while start < chunk.count {
            let newline = chunk[start...].firstIndex(of: 0x0A)
            let end = newline ?? chunk.count
            if skipping {
                skippedBytes += end - start
            } else if buffer.count + (end - start) > maximumLineBytes {
                skipping = true
                skippedBytes = buffer.count + (end - start)
                buffer.removeAll(keepingCapacity: false)
            } else {
                buffer.append(contentsOf: chunk[start..<end])
            }
            guard let newline else { break }
            if let frame = closeLine() { frames.append(frame) }
            start = newline + 1
        }
        return frames
    }

    public mutating func feed(_ bytes: [UInt8]) -> [Frame] {
        bytes.withUnsafeBufferPointer { feed($0) }
    }

    /// The last frame, for input that does not end with a newline.
    public mutating func finish() -> [Frame] {
        guard skipping || !buffer.isEmpty else { return [] }
        return closeLine().map { [$0] } ?? []
    }

    private mutating func closeLine() -> Frame? {
        lineNumber += 1
        if skipping {
            skipping = false
            defer { skippedBytes = 0 }
            return .tooLong(line: lineNumber, bytes: skippedBytes)
        }
        defer { buffer.removeAll(keepingCapacity: buffer.count <= 1 << 16) }
        if buffer.last == 0x0D { buffer.removeLast() }
        guard buffer.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        return .line(number: lineNumber, bytes: buffer)
    }
}
