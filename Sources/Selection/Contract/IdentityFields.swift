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
        let normalized = normalize(key)
        return normalizedKeys.contains(normalized) || identityParts.contains { normalized.contains($0) }
    }

    static func normalize(_ key: String) -> String {
        String(key.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" && $0 != "." }.map(Character.init))
    }

    /// The JSON path of the first identity key in `value`, depth first, in document order.
    public static func firstIdentityPath(in value: JSONValue, path: String = "") -> String? {
        switch value {
        case .object(let members):
            for (key, member) in members {
                let memberPath = path.isEmpty ? key : "\(path).\(key)"
                if isIdentity(key) { return memberPath }
                if let found = firstIdentityPath(in: member, path: memberPath) { return found }
            }
        case .array(let values):
            for (index, element) in values.enumerated() {
                if let found = firstIdentityPath(in: element, path: "\(path)[\(index)]") { return found }
            }
        default: break
        }
        return nil
    }
}
