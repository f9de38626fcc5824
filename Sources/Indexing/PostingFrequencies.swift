/// The field-weighted frequency of every posting: half a byte each when all of them are whole
/// numbers (as the default whole-number field boosts make them), two to a byte, the rare ones
/// from 15 up kept aside by posting (about one in three thousand); four bytes each otherwise.
/// Either way each reads back exactly as counted.
enum PostingFrequencies: Sendable, Equatable {
    /// Posting `p`'s code is the low half of `codes[p / 2]` for even `p`, the high half for odd.
    case nibbles(IndexArray<UInt8>, count: Int, large: [Int: Float])
    case floats(IndexArray<Float>)

    /// The code that says "look in `large`".
    static let escape: UInt8 = 15

    init(_ values: [Float]) {
        guard values.allSatisfy({ $0 >= 0 && $0.rounded() == $0 && $0 < 16_777_216 }) else {
            self = .floats(IndexArray(values))
            return
        }
        var large: [Int: Float] = [:]
        var codes = [UInt8](repeating: 0, count: (values.count + 1) / 2)
        for (posting, value) in values.enumerated() {
            var code = Self.escape
            if value < Float(Self.escape) { code = UInt8(value) } else { large[posting] = value }
            codes[posting >> 1] |= code << (UInt8(posting & 1) << 2)
        }
        self = .nibbles(IndexArray(codes), count: values.count, large: large)
    }

    /// Posting `posting`'s code in `codes`: its frequency, or ``escape``.
    @inline(__always)
    static func code(_ codes: UnsafeBufferPointer<UInt8>, _ posting: Int) -> UInt8 {
        (codes[posting >> 1] >> (UInt8(truncatingIfNeeded: posting & 1) << 2)) & 0x0F
    }

    var count: Int {
        switch self {
        case .nibbles(_, let count, _): count
        case .floats(let values): values.count
        }
    }

    @inline(__always)
    subscript(posting: Int) -> Float {
        switch self {
        case .nibbles(let codes, _, let large):
            let code = Self.code(codes.buffer, posting)
            return code == Self.escape ? large[posting]! : Float(code)
        case .floats(let values):
            return values[posting]
        }
    }

    /// Every frequency as a Float.
    var floats: [Float] { (0..<count).map { self[$0] } }

    /// Bytes held (a kept-aside frequency counted at a dictionary entry's size).
    var byteCount: Int {
        switch self {
        case .nibbles(let codes, _, let large): codes.count + large.capacity * (MemoryLayout<Int>.stride + 4) * 4 / 3
        case .floats(let values): values.count * 4
        }
    }
}
