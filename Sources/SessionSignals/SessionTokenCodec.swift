import Crypto
import Foundation

/// Seals and opens session tokens: `cs1.` + base64url(JSON state) + `.` + base64url(HMAC-SHA256).
///
/// The JSON is documented and readable (see PRIVACY.md); the HMAC, keyed by a secret the
/// deployer sets, makes any change detectable. A token is refused, never trusted, when it is
/// malformed, from another format version, altered, issued in the future, or older than the
/// visit length. The encoded token never exceeds ``maximumTokenBytes``: the oldest shown items,
/// then the weakest terms, are dropped to fit.
public struct SessionTokenCodec: Sendable {
    public static let prefix = "cs1"
    public static let maximumTokenBytes = 2048
    /// A visit ends after this many seconds without a request.
    public var visitLength: Int64
    /// Clock skew tolerated for tokens issued "in the future".
    public static let allowedSkew: Int64 = 60
    /// The secret as bytes (Crypto's SymmetricKey is not Sendable; a key is made per use).
    private let secret: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// - Parameter secret: the deployer's key, at least 16 bytes.
    public init(secret: [UInt8], visitLength: Int64 = 30 * 60) throws(SessionTokenError) {
        guard secret.count >= 16 else { throw .weakKey }
        guard visitLength > 0 else { throw .invalidVisitLength }
        self.secret = secret
        self.visitLength = visitLength
    }

    // MARK: Sealing

    public func seal(_ state: SessionState) -> String {
        var state = state
        while true {
            let token = encode(state)
            if token.utf8.count <= Self.maximumTokenBytes { return token }
            if !state.shown.isEmpty { state.shown.removeFirst() } else if !state.terms.isEmpty { state.terms.removeLast() } else { return token }
        }
    }

    func encode(_ state: SessionState) -> String {
        seal(payload: Array(Self.payloadJSON(state).utf8))
    }

    /// Seals any payload bytes as they are: what any holder of the key (or a future version)
    /// could send. For tests and fuzzing of ``open(_:now:)``; a deployer never needs it.
    public func seal(payload: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        return "\(Self.prefix).\(base64url(payload)).\(base64url(Array(mac)))"
    }

    /// The documented JSON, keys in a fixed order and weights to 4 decimals, so the same state
    /// is always the same token.
    static func payloadJSON(_ state: SessionState) -> String {
        let terms = state.terms.map { "[\(jsonString($0.term)),\(fixed4($0.weight))]" }.joined(separator: ",")
        let shown = state.shown.map { "[\(jsonString($0.id)),\($0.count),\($0.lastShown)]" }.joined(separator: ",")
        return "{\"v\":1,\"start\":\(state.visitStart),\"updated\":\(state.updatedAt),\"terms\":[\(terms)],\"shown\":[\(shown)]}"
    }

    // MARK: Opening

    /// The state in `token`, checked at time `now` (Unix seconds).
    ///
    /// Every value is range-checked before it is used, because a valid HMAC proves only who
    /// sealed the token, not that its numbers are sane: a leaked key, a future version or a bug
    /// could seal any JSON. Times must lie in ``timeRange``, counts in ``countRange``, weights
    /// in ``weightRange``; anything else refuses the token with `outOfRange`, never traps.
    public func open(_ token: String, now: Int64) throws(SessionTokenError) -> SessionState {
        guard token.utf8.count <= Self.maximumTokenBytes else { throw .malformed }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed }
        guard parts[0] == Self.prefix else { throw .foreign }
        guard let payload = base64urlDecode(parts[1]), let mac = base64urlDecode(parts[2]) else { throw .malformed }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key) else { throw .tampered }
        guard let json = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              let version = json["v"] as? NSNumber, let rawStart = json["start"] as? NSNumber,
              let rawUpdated = json["updated"] as? NSNumber,
              let rawTerms = json["terms"] as? [[Any]], let rawShown = json["shown"] as? [[Any]] else {
            throw .malformed
        }
        guard Self.integer(version, in: 1...1) != nil else { throw .foreign }
        guard let start = Self.integer(rawStart, in: Self.timeRange) else { throw .outOfRange("start") }
        guard let updated = Self.integer(rawUpdated, in: Self.timeRange) else { throw .outOfRange("updated") }
        // `now` comes from the request or the clock; both lie in the time range, so these
        // differences cannot overflow. Saturating anyway keeps that a local fact.
        guard updated <= now.addingSaturated(Self.allowedSkew), start <= updated else { throw .fromTheFuture }
        guard now.subtractingSaturated(updated) <= visitLength else { throw .expired }
        var terms: [SessionState.Topic] = []
        for entry in rawTerms {
            guard entry.count == 2, let term = entry[0] as? String, let rawWeight = entry[1] as? NSNumber else {
                throw .malformed
            }
            let weight = rawWeight.doubleValue
            guard weight.isFinite, Self.weightRange.contains(weight) else { throw .outOfRange("terms[].weight") }
            terms.append(.init(term: term, weight: weight))
        }
        var shown: [SessionState.ShownItem] = []
        for entry in rawShown {
            guard entry.count == 3, let id = entry[0] as? String, let rawCount = entry[1] as? NSNumber,
                  let rawLast = entry[2] as? NSNumber else { throw .malformed }
            guard let count = Self.integer(rawCount, in: Self.countRange) else { throw .outOfRange("shown[].count") }
            guard let last = Self.integer(rawLast, in: start...updated) else { throw .outOfRange("shown[].last") }
            shown.append(.init(id: id, count: Int(count), lastShown: last))
        }
        return SessionState(visitStart: start, updatedAt: updated, terms: terms, shown: shown)
    }

    /// Times a token may carry: Unix seconds from 1970 to the end of year 9999, the span a
    /// request's `now` can name.
    public static let timeRange: ClosedRange<Int64> = 0...253_402_300_799
    /// How often a token may say an item was shown.
    public static let countRange: ClosedRange<Int64> = 1...Int64(Int32.max)
    /// A topic term's weight, as ``SessionState/fold(pageTerms:now:rules:)`` keeps it.
    public static let weightRange: ClosedRange<Double> = 0...SessionState.maximumTermWeight

    /// `number` as an integer when it is a whole number inside `range`; nil for fractions,
    /// infinities and values outside it. JSON numbers arrive as doubles or integers of any
    /// width; converting one that does not fit would trap, so the range is checked first.
    static func integer(_ number: NSNumber, in range: ClosedRange<Int64>) -> Int64? {
        let value = number.doubleValue
        guard value.isFinite, value == value.rounded(),
              value >= Double(range.lowerBound), value <= Double(range.upperBound) else { return nil }
        // Both bounds are far below 2^53 in every range used here, so the double is exact.
        let integer = Int64(value)
        return range.contains(integer) ? integer : nil
    }
}

extension Int64 {
    func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    func subtractingSaturated(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }
}

/// Why a session token was refused. The request then falls back to the page alone.
public enum SessionTokenError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformed, foreign, tampered, expired, fromTheFuture, weakKey, invalidVisitLength
    /// A field of a correctly sealed token holds a value no sealed state can have.
    case outOfRange(String)

    public var description: String {
        switch self {
        case .malformed: "the session token is malformed or truncated"
        case .foreign: "the session token is not a ctxsel token of this version"
        case .tampered: "the session token failed its integrity check (altered, or sealed with another key)"
        case .expired: "the session token has expired (the visit ended)"
        case .fromTheFuture: "the session token claims a time in the future"
        case .weakKey: "the session key must be at least 16 bytes"
        case .invalidVisitLength: "the visit length must be positive"
        case .outOfRange(let field): "the session token's \(field) is out of range"
        }
    }
}

func base64url(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

func base64urlDecode(_ text: Substring) -> [UInt8]? {
    guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    return Data(base64Encoded: base64).map { [UInt8]($0) }
}

func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
        }
    }
    return result + "\""
}

func fixed4(_ value: Double) -> String {
    // Weights a codec seals lie in 0...4; a library caller may hand any double, so the
    // conversion to an integer is bounded (NaN writes 0) instead of trapping.
    let bounded = value.isNaN ? 0 : min(max(value, -1e14), 1e14)
    let integer = Int64((bounded * 10_000).rounded())
    let whole = integer / 10_000, fraction = abs(integer % 10_000)
    let digits = String(fraction)
    let sign = integer < 0 && whole == 0 ? "-" : ""
    return "\(sign)\(whole).\(String(repeating: "0", count: 4 - digits.count))\(digits)"
}
