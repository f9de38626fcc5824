public import SelectionCore
import TextAnalysis

extension SelectionRequest {
    /// Decodes a request from one NDJSON line's bytes.
    ///
    /// Identity keys anywhere are refused first (their values are never read or echoed), then
    /// every field is type-checked; unknown fields are refused so that a misspelt field never
    /// silently changes a selection.
    public static func decode(line: UnsafeBufferPointer<UInt8>) throws(RequestError) -> SelectionRequest {
        let json: JSONValue
        do { json = try JSONParser.parse(line) } catch {
            throw RequestError(.invalidJSON, error.description)
        }
        return try decode(json)
    }

    public static func decode(_ json: JSONValue) throws(RequestError) -> SelectionRequest {
        guard case .object = json else { throw RequestError(.invalidType, "a request must be a JSON object, not \(json.typeName)") }
        if let path = IdentityFields.firstIdentityPath(in: json) {
            throw RequestError(.identityField, "requests may not carry identity fields; remove it (its value was not read)", field: path)
        }
        var reader = ObjectReader(json, path: "")
        try reader.allow(["id", "page", "slots", "session", "consent", "preferences", "explain", "now", "no_repeat",
                          "blocked_categories", "blocked_advertisers", "max_per_advertiser", "ranker", "relevance_floor"])
        var request = SelectionRequest(page: Page())
        request.id = try reader.string("id")
        guard let pageValue = reader.value("page") else { throw RequestError(.missingField, "a request needs a page", field: "page") }
        request.page = try decodePage(pageValue)
        if let slots = try reader.array("slots") {
            guard !slots.isEmpty else { throw RequestError(.invalidValue, "slots must not be empty", field: "slots") }
            request.slots = []
            for (index, slot) in slots.enumerated() { request.slots.append(try decodeSlot(slot, path: "slots[\(index)]")) }
            var seen: Set<String> = []
            for (index, slot) in request.slots.enumerated() where !seen.insert(slot.id).inserted {
                throw RequestError(.invalidValue, "slot id \"\(slot.id)\" is used twice", field: "slots[\(index)].id")
            }
        }
        request.session = try reader.string("session")
        if let consent = reader.value("consent") { request.consent = try decodeConsent(consent) }
        if let preferences = reader.value("preferences") {
            var inner = try ObjectReader(object: preferences, path: "preferences")
            try inner.allow(["include_topics", "exclude_topics"])
            request.preferences.includeTopics = try inner.strings("include_topics") ?? []
            request.preferences.excludeTopics = try inner.strings("exclude_topics") ?? []
        }
        request.explain = try reader.bool("explain") ?? false
        request.noRepeat = try reader.bool("no_repeat") ?? false
        request.blockedCategories = try reader.strings("blocked_categories") ?? []
        request.blockedAdvertisers = try reader.strings("blocked_advertisers") ?? []
        if let floor = try reader.number("relevance_floor") {
            guard (0...1).contains(floor) else { throw RequestError(.invalidValue, "relevance_floor must be between 0 and 1", field: "relevance_floor") }
            request.relevanceFloor = floor
        }
        if let limit = try reader.integer("max_per_advertiser") {
            guard limit >= 0 else { throw RequestError(.invalidValue, "max_per_advertiser must be 0 (no limit) or more", field: "max_per_advertiser") }
            request.maxPerAdvertiser = limit
        }
        if let ranker = try reader.string("ranker") {
            guard !ranker.contains("exec:") else {
                throw RequestError(.invalidValue, "requests may name built-in rankers only; external rankers are set by the deployer", field: "ranker")
            }
            do { _ = try RankerRegistry.make(ranker) } catch {
                throw RequestError(.invalidValue, "\(error)", field: "ranker")
            }
            request.ranker = ranker
        }
        if let now = try reader.string("now") {
            guard isISO8601Timestamp(now) else {
                throw RequestError(.invalidValue, "now must be an ISO 8601 time such as 2026-11-23T10:00:00Z", field: "now")
            }
            request.now = now
        }
        return request
    }

    static func decodePage(_ value: JSONValue) throws(RequestError) -> Page {
        var reader = try ObjectReader(object: value, path: "page")
        try reader.allow(["url", "title", "html", "text", "lang", "keywords"])
        var page = Page()
        page.url = try reader.string("url")
        page.title = try reader.string("title")
        page.html = try reader.string("html")
        page.text = try reader.string("text")
        page.lang = try reader.string("lang")
        page.keywords = try reader.strings("keywords") ?? []
        if page.html != nil, page.text != nil {
            throw RequestError(.invalidValue, "give the page as html or as text, not both", field: "page.text")
        }
        if page.html == nil, page.text == nil, page.title == nil, page.keywords.isEmpty {
            throw RequestError(.missingField, "a page needs html, text, a title or keywords", field: "page")
        }
        if let lang = page.lang, primaryLanguage(lang) == nil {
            throw RequestError(.invalidValue, "lang must be a language tag such as \"en\" or \"fr-CA\"", field: "page.lang")
        }
        return page
    }

    static func decodeSlot(_ value: JSONValue, path: String) throws(RequestError) -> Slot {
        var reader = try ObjectReader(object: value, path: path)
        try reader.allow(["id", "count", "kinds"])
        var slot = Slot()
        guard let id = try reader.string("id"), !id.isEmpty else {
            throw RequestError(.missingField, "a slot needs a non-empty id", field: "\(path).id")
        }
        slot.id = id
        if let count = try reader.integer("count") {
            guard (1...Slot.maximumCount).contains(count) else {
                throw RequestError(.invalidValue, "count must be between 1 and \(Slot.maximumCount)", field: "\(path).count")
            }
            slot.count = count
        }
        if let kinds = try reader.strings("kinds") {
            slot.kinds = []
            for (index, kind) in kinds.enumerated() {
                guard let parsed = ItemKind(rawValue: kind) else {
                    throw RequestError(.invalidValue, "kind must be one of ad, content, house", field: "\(path).kinds[\(index)]")
                }
                if !slot.kinds.contains(parsed) { slot.kinds.append(parsed) }
            }
        }
        return slot
    }

    static func decodeConsent(_ value: JSONValue) throws(RequestError) -> Consent {
        var reader = try ObjectReader(object: value, path: "consent")
        try reader.allow(["level", "gpc", "dnt"])
        var consent = Consent()
        if let level = try reader.string("level") {
            guard let parsed = Consent.Level(rawValue: level) else {
                throw RequestError(.invalidValue, "level must be one of none, context, session", field: "consent.level")
            }
            consent.level = parsed
        }
        consent.gpc = try reader.bool("gpc") ?? false
        consent.dnt = try reader.bool("dnt") ?? false
        return consent
    }
}

/// Whether `text` is a timestamp this contract accepts (see ``unixSeconds(iso8601:)``).
func isISO8601Timestamp(_ text: String) -> Bool { unixSeconds(iso8601: text) != nil }

/// `YYYY-MM-DDTHH:MM(:SS(.fff))(Z|±HH:MM)` as Unix seconds, or nil when it is not one
/// (checked by shape and ranges; fractions of a second are dropped).
public func unixSeconds(iso8601 text: String) -> Int64? {
    let bytes = Array(text.utf8)
    func digits(_ range: Range<Int>) -> Int? {
        guard range.upperBound <= bytes.count else { return nil }
        var value = 0
        for index in range {
            guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            value = value * 10 + Int(bytes[index] - 0x30)
        }
        return value
    }
    guard bytes.count >= 17, let year = digits(0..<4), bytes[4] == 0x2D, let month = digits(5..<7), bytes[7] == 0x2D,
          let day = digits(8..<10), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
          let hour = digits(11..<13), bytes[13] == 0x3A, let minute = digits(14..<16),
          (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60 else { return nil }
    var second = 0
    var index = 16
    if index < bytes.count, bytes[index] == 0x3A {
        guard let parsed = digits(17..<19), parsed <= 60 else { return nil }
        second = parsed
        index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > start else { return nil }
        }
    }
    guard index < bytes.count else { return nil }
    var offsetSeconds = 0
    if bytes[index] == UInt8(ascii: "Z") {
        guard index + 1 == bytes.count else { return nil }
    } else {
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 6 == bytes.count,
              let offsetHour = digits((index + 1)..<(index + 3)), bytes[index + 3] == 0x3A,
              let offsetMinute = digits((index + 4)..<(index + 6)), offsetHour < 24, offsetMinute < 60 else { return nil }
        offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
    }
    let days = daysFromCivil(year: year, month: month, day: day)
    return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
}

func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse).
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

/// Typed, path-aware access to one JSON object's members.
struct ObjectReader {
    let members: [(String, JSONValue)]
    let path: String

    init(_ value: JSONValue, path: String) {
        if case .object(let members) = value { self.members = members } else { self.members = [] }
        self.path = path
    }

    init(object value: JSONValue, path: String) throws(RequestError) {
        guard case .object = value else {
            throw RequestError(.invalidType, "\(path) must be an object, not \(value.typeName)", field: path)
        }
        self.init(value, path: path)
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses members not in `known`, and repeated members.
    mutating func allow(_ known: Set<String>) throws(RequestError) {
        var seen: Set<String> = []
        for (key, _) in members {
            guard known.contains(key) else {
                throw RequestError(.unknownField, "unknown field; known fields are \(known.sorted().joined(separator: ", "))",
                                   field: fieldPath(EchoedKey.safe(key)))
            }
            guard seen.insert(key).inserted else {
                throw RequestError(.invalidValue, "field appears twice", field: fieldPath(key))
            }
        }
    }

    func value(_ key: String) -> JSONValue? {
        guard let found = members.last(where: { $0.0 == key })?.1 else { return nil }
        if case .null = found { return nil }
        return found
    }

    func string(_ key: String) throws(RequestError) -> String? {
        guard let found = value(key) else { return nil }
        guard case .string(let text) = found else {
            throw RequestError(.invalidType, "must be a string, not \(found.typeName)", field: fieldPath(key))
        }
        return text
    }

    func bool(_ key: String) throws(RequestError) -> Bool? {
        guard let found = value(key) else { return nil }
        guard case .bool(let flag) = found else {
            throw RequestError(.invalidType, "must be true or false, not \(found.typeName)", field: fieldPath(key))
        }
        return flag
    }

    func integer(_ key: String) throws(RequestError) -> Int? {
        guard let found = value(key) else { return nil }
        guard case .number(let number) = found, number == number.rounded(), abs(number) < 1e9 else {
            throw RequestError(.invalidType, "must be an integer, not \(found.typeName)", field: fieldPath(key))
        }
        return Int(number)
    }

    func number(_ key: String) throws(RequestError) -> Double? {
        guard let found = value(key) else { return nil }
        guard case .number(let number) = found else {
            throw RequestError(.invalidType, "must be a number, not \(found.typeName)", field: fieldPath(key))
        }
        return number
    }

    func array(_ key: String) throws(RequestError) -> [JSONValue]? {
        guard let found = value(key) else { return nil }
        guard case .array(let values) = found else {
            throw RequestError(.invalidType, "must be an array, not \(found.typeName)", field: fieldPath(key))
        }
        return values
    }

    func strings(_ key: String) throws(RequestError) -> [String]? {
        guard let values = try array(key) else { return nil }
        var result: [String] = []
        for (index, element) in values.enumerated() {
            guard case .string(let text) = element else {
                throw RequestError(.invalidType, "must be a string, not \(element.typeName)", field: "\(fieldPath(key))[\(index)]")
            }
            result.append(text)
        }
        return result
    }
}
