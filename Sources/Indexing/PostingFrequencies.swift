/// The field-weighted frequency of every posting: one byte each when all of them are whole
/// numbers (as the default whole-number field boosts make them), the rare ones from 255 up kept
/// aside by posting; four bytes each otherwise. Either way each reads back exactly as counted.
enum PostingFrequencies: Sendable, Equatable {
    case bytes(IndexArray<UInt8>, large: [Int: Float])
    case floats(IndexArray<Float>)

    /// The byte that says "look in `large`".
    static let escape: UInt8 = 255

    init(_ values: [Float]) {
        guard values.allSatisfy({ $0 >= 0 && $0.rounded() == $0 && $0 < 16_777_216 }) else {
            self = .floats(IndexArray(values))
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
        self = .bytes(IndexArray(bytes), large: large)
    }

    var count: Int {
        switch self {
        case .bytes(let values, _): values.count
        case .floats(let values): values.count
        }
    }

    @inline(__always)
    subscript(posting: Int) -> Float {
        switch self {
        case .bytes(let values, let large):
            let byte = values[posting]
            return byte == Self.escape ? large[posting]! : Float(byte)
        case .floats(let values):
            return values[posting]
        }
    }

    /// Every frequency as a Float.
    var floats: [Float] { (0..<count).map { self[$0] } }

    /// Bytes held (a kept-aside frequency counted at a dictionary entry's size).
    var byteCount: Int {
        switch self {
        case .bytes(let values, let large): values.count + large.capacity * (MemoryLayout<Int>.stride + 4) * 4 / 3
        case .floats(let values): values.count * 4
        }
    }
}
