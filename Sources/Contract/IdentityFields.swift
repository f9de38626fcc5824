import WireFormat

public import Selection

/// Keys that carry who a visitor is. A request holding one, at any depth, is refused.
///
/// Keys are compared after lower-casing and removing `_`, `-` and `.`, so `user_id`, `userId`
/// and `USER-ID` are one key. The list covers people (user, e-mail, phone, name-like ids),
/// network addresses, device and advertising ids, cookies, fingerprints, user agents and
/// precise location.
public enum IdentityFields {
    public static let normalizedKeys: Set<String> = [
        // People and accounts
        "user", "users", "userid", "uid", "username", "login", "account", "accountid", "customerid", "visitorid",
        "personid", "memberid", "email", "emailaddress", "mail", "hashedemail", "emailhash", "phone", "phonenumber",
        "msisdn", "ppid", "externalid", "buyeruid", "buyerid", "sessionid",
        // Network addresses
        "ip", "ipaddress", "ipv4", "ipv6", "clientip", "remoteaddr", "remoteaddress", "xforwardedfor", "forwardedfor",
        "xrealip",
        // Devices, advertising ids, identity graphs
        "deviceid", "device", "ifa", "idfa", "idfv", "gaid", "aaid", "adid", "advertisingid", "androidid", "imei",
        "mac", "macaddress", "uid2", "euid", "rampid", "id5", "tdid", "eids",
        // Browser state and fingerprints
        "cookie", "cookies", "cookieid", "fingerprint", "deviceprint", "useragent", "ua", "canvas",
        // Location
        "geo", "location", "lat", "lon", "latitude", "longitude", "zip", "postcode", "postalcode",
    ]

    /// Parts that make any key an identity wherever they appear in it (`userEmail`,
    /// `client_ip_address`, `x-device-id`, `hashed_email_sha256`, `visitor_uuid`).
    public static let identityParts: [String] = [
        "email", "userid", "username", "ipaddr", "clientip", "remoteip", "userip", "forwardedfor", "cookie",
        "fingerprint", "deviceid", "advertisingid", "idfa", "gaid", "phone", "useragent", "latitude", "longitude",
        "customer", "visitor", "person", "member", "accountid", "subscriber", "sessionid", "macaddr", "imei",
        "uuid", "guid", "clientid", "maid", "rdid", "oaid",
    ]

    /// Whether `key` names an identity: one of ``normalizedKeys``, or holding one of
    /// ``identityParts``.
    public static func isIdentity(_ key: String) -> Bool {
        // ASCII keys (nearly all) are folded and searched as bytes; others take the general path.
        if key.utf8.allSatisfy({ $0 < 0x80 }) {
            var folded: [UInt8] = []
            folded.reserveCapacity(key.utf8.count)
            for byte in key.utf8 where byte != 0x5F && byte != 0x2D && byte != 0x2E {
                folded.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            }
            if normalizedKeys.contains(String(decoding: folded, as: UTF8.self)) { return true }
            return partBytes.contains { part in contains(folded, part) }
        }
        let normalized = normalize(key)
        return normalizedKeys.contains(normalized) || identityParts.contains { normalized.contains($0) }
    }

    static let partBytes: [[UInt8]] = identityParts.map { Array($0.utf8) }

    /// Whether `part` occurs in `text` (both short: a plain scan).
    static func contains(_ text: [UInt8], _ part: [UInt8]) -> Bool {
        guard part.count <= text.count else { return false }
        outer: for start in 0...(text.count - part.count) {
            for offset in part.indices where text[start + offset] != part[offset] { continue outer }
            return true
        }
        return false
    }

    static func normalize(_ key: String) -> String {
        String(key.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" && $0 != "." }.map(Character.init))
    }

    /// The JSON path of the first identity key in `value`, depth first, in document order.
    public static func firstIdentityPath(in value: JSONValue, path: String = "") -> String? {
        guard let found = firstIdentityComponents(in: value) else { return nil }
        var text = path
        for component in found.reversed() {
            switch component {
            case .key(let key):
                let key = EchoedKey.safe(key)
                text = text.isEmpty ? key : "\(text).\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    enum PathComponent {
        case key(String)
        case index(Int)
    }

    /// The path to the first identity key, innermost component first; paths are spelled out
    /// only for the rare request that has one.
    static func firstIdentityComponents(in value: JSONValue) -> [PathComponent]? {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if isIdentity(key) { return [.key(key)] }
                if var found = firstIdentityComponents(in: member) {
                    found.append(.key(key))
                    return found
                }
            }
        case .array(let values):
            for (index, element) in values.enumerated() {
                if var found = firstIdentityComponents(in: element) {
                    found.append(.index(index))
                    return found
                }
            }
        default: break
        }
        return nil
    }
}
