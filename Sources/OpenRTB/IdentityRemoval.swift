import WireFormat

/// Removes from an OpenRTB 2.6 BidRequest everything that identifies a person or a device, and
/// says where each removed value was.
///
/// What stays is what a contextual buyer needs and no more: the device's type, OS family and
/// language; country and region of any `geo`; the page's URL without its query and fragment;
/// the privacy signals (`dnt`, `lmt`, `regs`). The rules, field by field, are the table in
/// PRIVACY.md ("OpenRTB"). Removal is by allow-list where the object is about the person
/// (`user`, `device`, `geo`, `sua`) and by name everywhere else, including inside every `ext`:
/// an identifier that a partner hid under an extension is still an identifier.
public enum IdentityRemoval {
    /// `device` members kept; every other is removed.
    public static let deviceKept: Set<String> = ["devicetype", "os", "language", "langb", "dnt", "lmt", "geo", "sua"]
    /// `geo` members kept (in `device.geo`, `user.geo` is dropped with `user`).
    public static let geoKept: Set<String> = ["country", "region", "type"]
    /// `device.sua` members kept: the platform's brand (the OS family) and whether it is mobile.
    public static let userAgentKept: Set<String> = ["platform", "mobile"]
    /// Keys removed wherever they appear (any depth, any `ext`).
    public static let identityKeys: Set<String> = [
        "eids", "buyeruid", "buyeruids", "buyerid", "ifa", "ip", "ipv6", "didsha1", "didmd5", "dpidsha1", "dpidmd5", "macsha1", "macmd5",
        "ua", "sua", "uids", "tdid", "pubcid", "fpid", "id5id", "idl_env", "criteoId", "netId", "lotamePanoramaId",
        "consent", "gdpr_consent", "user", "userid", "user_id", "uid", "hashedemail", "email", "phone", "geo", "device",
    ]

    /// The request without identity, and the dotted paths of what was removed, in document order.
    public static func strip(_ request: JSONValue) -> (request: JSONValue, removed: [String]) {
        var removed: [String] = []
        guard case .object(let members) = request else { return (request, []) }
        var kept: [(String, JSONValue)] = []
        for (key, value) in members {
            switch key {
            case "user":
                // Everything about the user is about a person: ids, buyer ids, eids, year of birth,
                // gender, interest keywords, data segments, geo, and its consent string.
                removed.append(contentsOf: leafPaths(value, "user"))
            case "device":
                kept.append((key, device(value, removed: &removed)))
            case "site", "app", "dooh":
                kept.append((key, place(value, path: key, removed: &removed)))
            default:
                kept.append((key, scrub(value, path: key, removed: &removed)))
            }
        }
        return (.object(kept), removed)
    }

    static func device(_ value: JSONValue, removed: inout [String]) -> JSONValue {
        guard case .object(let members) = value else { removed.append("device"); return .object([]) }
        var kept: [(String, JSONValue)] = []
        for (key, member) in members {
            let path = "device.\(key)"
            guard deviceKept.contains(key) else { removed.append(contentsOf: leafPaths(member, path)); continue }
            switch key {
            case "geo": kept.append((key, geo(member, path: path, removed: &removed)))
            case "sua": kept.append((key, userAgent(member, path: path, removed: &removed)))
            default: kept.append((key, member))
            }
        }
        return .object(kept)
    }

    static func geo(_ value: JSONValue, path: String, removed: inout [String]) -> JSONValue {
        guard case .object(let members) = value else { removed.append(path); return .object([]) }
        var kept: [(String, JSONValue)] = []
        for (key, member) in members {
            if geoKept.contains(key), !member.isContainer { kept.append((key, member)) } else { removed.append(contentsOf: leafPaths(member, "\(path).\(key)")) }
        }
        return .object(kept)
    }

    /// Structured user agent: the platform's brand only (its version and the browsers go).
    static func userAgent(_ value: JSONValue, path: String, removed: inout [String]) -> JSONValue {
        guard case .object(let members) = value else { removed.append(path); return .object([]) }
        var kept: [(String, JSONValue)] = []
        for (key, member) in members {
            let memberPath = "\(path).\(key)"
            guard userAgentKept.contains(key) else { removed.append(contentsOf: leafPaths(member, memberPath)); continue }
            if key == "platform", case .object(let platform) = member {
                for (name, part) in platform where name != "brand" { removed.append(contentsOf: leafPaths(part, "\(memberPath).\(name)")) }
                kept.append((key, .object(platform.filter { $0.0 == "brand" })))
            } else {
                kept.append((key, member))
            }
        }
        return .object(kept)
    }

    /// `site`, `app` or `dooh`: the referrer goes (it is the reader's previous page), the page
    /// URL loses its query and fragment (where sign-in links carry e-mail addresses and tokens),
    /// and identity keys go at any depth.
    static func place(_ value: JSONValue, path: String, removed: inout [String]) -> JSONValue {
        guard case .object(let members) = value else { return scrub(value, path: path, removed: &removed) }
        var kept: [(String, JSONValue)] = []
        for (key, member) in members {
            let memberPath = "\(path).\(key)"
            switch (key, member) {
            case ("ref", _):
                removed.append(memberPath)
            case ("page", .string(let url)):
                let bare = withoutQuery(url)
                if bare != url { removed.append("\(memberPath)?query") }
                kept.append((key, .string(bare)))
            default:
                if identityKeys.contains(key) { removed.append(contentsOf: leafPaths(member, memberPath)); continue }
                kept.append((key, scrub(member, path: memberPath, removed: &removed)))
            }
        }
        return .object(kept)
    }

    /// Any other value: identity keys removed at any depth.
    static func scrub(_ value: JSONValue, path: String, removed: inout [String]) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [(String, JSONValue)] = []
            for (key, member) in members {
                let memberPath = "\(path).\(key)"
                if identityKeys.contains(key) { removed.append(contentsOf: leafPaths(member, memberPath)); continue }
                kept.append((key, scrub(member, path: memberPath, removed: &removed)))
            }
            return .object(kept)
        case .array(let elements):
            return .array(elements.enumerated().map { scrub($0.element, path: "\(path)[\($0.offset)]", removed: &removed) })
        default:
            return value
        }
    }

    /// The paths of a removed value: its members one level down when it is an object (so the
    /// receipt says `user.id`, `user.buyeruid`, not just `user`), else the path itself.
    static func leafPaths(_ value: JSONValue, _ path: String) -> [String] {
        if case .object(let members) = value, !members.isEmpty { return members.map { "\(path).\($0.0)" } }
        return [path]
    }

    /// A URL without `?…` and `#…`.
    public static func withoutQuery(_ url: String) -> String {
        guard let cut = url.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return url }
        return String(url[..<cut])
    }
}

extension JSONValue {
    var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }
}
