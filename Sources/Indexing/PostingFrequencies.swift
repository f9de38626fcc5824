/// The field-weighted frequency of every posting: one byte each when all of them are whole
/// numbers (as the default whole-number field boosts make them), the rare ones from 255 up kept
/// aside by posting; four bytes each otherwise. Either way each reads back exactly as counted.
public enum PostingFrequencies: Sendable, Equatable {
    case bytes([UInt8], large: [Int: Float])
    case floats([Float])

    /// The byte that says "look in `large`".
    static let escape: UInt8 = 255

    public init(_ values: [Float]) {
        guard values.allSatisfy({ $0 >= 0 && $0.rounded() == $0 && $0 < 16_777_216 }) else {
            self = .floats(values)
            return
        }
        var large: [Int: Float] = [:]
        let bytes = values.enumerated().map { posting, value -> UInt8 in
            guard value < Float(Self.escape) else {
                large[posting] = value
                return Self.escape
            }
            return UInt8(value)
        }
        self = .bytes(bytes, large: large)
    }

    public var count: Int {
        switch self {
        case .bytes(let values, _): values.count
        case .floats(let values): values.count
        }
    }

    @inline(__always)
    public subscript(posting: Int) -> Float {
        switch self {
        case .bytes(let values, let large):
            let byte = values[posting]
            return byte == Self.escape ? large[posting]! : Float(byte)
        case .floats(let values):
            return values[posting]
        }
    }

    /// Every frequency as a Float.
    public var floats: [Float] { (0..<count).map { self[$0] } }

    /// Bytes held (a kept-aside frequency counted at a dictionary entry's size).
    public var byteCount: Int {
        switch self {
        case .bytes(let values, let large): values.count + large.capacity * (MemoryLayout<Int>.stride + 4) * 4 / 3
        case .floats(let values): values.count * 4
        }
    }
}
