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
        let payload = Array(Self.payloadJSON(state).utf8)
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
    public func open(_ token: String, now: Int64) throws(SessionTokenError) -> SessionState {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed }
        guard parts[0] == Self.prefix else { throw .foreign }
        guard let payload = base64urlDecode(parts[1]), let mac = base64urlDecode(parts[2]) else { throw .malformed }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key) else { throw .tampered }
        guard let json = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              (json["v"] as? NSNumber)?.intValue == 1,
              let start = (json["start"] as? NSNumber)?.int64Value,
              let updated = (json["updated"] as? NSNumber)?.int64Value,
              let rawTerms = json["terms"] as? [[Any]], let rawShown = json["shown"] as? [[Any]] else {
            throw .malformed
        }
        guard updated <= now + Self.allowedSkew, start <= updated else { throw .fromTheFuture }
        guard now - updated <= visitLength else { throw .expired }
        var terms: [SessionState.Topic] = []
        for entry in rawTerms {
            guard entry.count == 2, let term = entry[0] as? String, let weight = (entry[1] as? NSNumber)?.doubleValue else {
                throw .malformed
            }
            terms.append(.init(term: term, weight: weight))
        }
        var shown: [SessionState.ShownItem] = []
        for entry in rawShown {
            guard entry.count == 3, let id = entry[0] as? String, let count = (entry[1] as? NSNumber)?.intValue,
                  let last = (entry[2] as? NSNumber)?.int64Value else { throw .malformed }
            shown.append(.init(id: id, count: count, lastShown: last))
        }
        return SessionState(visitStart: start, updatedAt: updated, terms: terms, shown: shown)
    }
}

/// Why a session token was refused. The request then falls back to the page alone.
public enum SessionTokenError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformed, foreign, tampered, expired, fromTheFuture, weakKey, invalidVisitLength

    public var description: String {
        switch self {
        case .malformed: "the session token is malformed or truncated"
        case .foreign: "the session token is not a ctxsel token of this version"
        case .tampered: "the session token failed its integrity check (altered, or sealed with another key)"
        case .expired: "the session token has expired (the visit ended)"
        case .fromTheFuture: "the session token claims a time in the future"
        case .weakKey: "the session key must be at least 16 bytes"
        case .invalidVisitLength: "the visit length must be positive"
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
    let scaled = (value * 10_000).rounded()
    let integer = Int64(scaled)
    let whole = integer / 10_000, fraction = abs(integer % 10_000)
    let digits = String(fraction)
    return "\(whole).\(String(repeating: "0", count: 4 - digits.count))\(digits)"
}
