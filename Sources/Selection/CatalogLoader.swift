import Foundation
public import SelectionCore
import TextAnalysis
import WireFormat

/// Reads catalogs: JSON Lines, one item per line (the fields are in `Catalog/FORMAT.md`).
/// Every item is validated, and the first error names the file, line, item and field.
public enum CatalogLoader {
    /// Loads a catalog file, or every `*.jsonl` file of a folder in name order. With
    /// `knownCategories` (the taxonomy's ids), an item naming another id is refused.
    public static func load(from url: URL, knownCategories: Set<String>? = nil) throws -> [CatalogItem] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CatalogLoadError(source: url.path, line: nil, item: nil, field: nil, message: "no such file or folder")
        }
        let files: [URL]
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".jsonl") }.sorted()
            guard !names.isEmpty else {
                throw CatalogLoadError(source: url.path, line: nil, item: nil, field: nil, message: "folder holds no .jsonl catalog file")
            }
            files = names.map { url.appendingPathComponent($0) }
        } else {
            files = [url]
        }
        var items: [CatalogItem] = []
        var places: [(file: String, line: Int)] = []
        for file in files {
            try requireRegularFile(file.path)
            let data: Data
            do { data = try Data(contentsOf: file) } catch {
                throw CatalogLoadError(source: file.path, line: nil, item: nil, field: nil, message: "cannot read: \(error.localizedDescription)")
            }
            let parsed = try data.withUnsafeBytes {
                try parseLines(bytes: $0.bindMemory(to: UInt8.self), source: file.path, knownCategories: knownCategories)
            }
            items += parsed.items
            places += parsed.lines.map { (file.path, $0) }
        }
        try requireDistinctIDs(items) { places[$0] }
        guard !items.isEmpty else {
            throw CatalogLoadError(source: url.path, line: nil, item: nil, field: nil,
                                   message: "the catalog holds no items (only blank or comment lines)")
        }
        return items
    }

    /// Refuses anything but a regular file: a FIFO or device would block or never end.
    static func requireRegularFile(_ path: String) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw CatalogLoadError(source: path, line: nil, item: nil, field: nil,
                                   message: "not a regular file (a catalog is read whole, so it cannot be a pipe or device)")
        }
    }

    /// Refuses an id used twice, naming where each use is (`place(index)` is item `index`'s
    /// file and line).
    static func requireDistinctIDs(_ items: [CatalogItem], place: (Int) -> (file: String, line: Int)) throws {
        var seen: [ItemID: Int] = [:]
        for (index, item) in items.enumerated() {
            if let first = seen[item.id] {
                let (firstFile, firstLine) = place(first), (file, line) = place(index)
                let earlier = firstFile == file ? "line \(firstLine)" : "\(firstFile):\(firstLine)"
                throw CatalogLoadError(source: file, line: line, item: item.id, field: "id",
                                       message: "id already used on \(earlier)")
            }
            seen[item.id] = index
        }
    }

    /// Parses catalog JSON Lines; blank lines and lines starting with `#` are skipped.
    public static func parse(_ text: String, source: String = "catalog") throws -> [CatalogItem] {
        var copy = text
        return try copy.withUTF8 { try parse(bytes: $0, source: source) }
    }

    /// Parses catalog JSON Lines from bytes, line by line, without copying the text; an id
    /// used twice is refused with both lines.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, source: String, knownCategories: Set<String>? = nil)
        throws -> [CatalogItem] {
        let parsed = try parseLines(bytes: bytes, source: source, knownCategories: knownCategories)
        try requireDistinctIDs(parsed.items) { (source, parsed.lines[$0]) }
        return parsed.items
    }

    /// The items of `bytes` and the line each came from.
    static func parseLines(bytes: UnsafeBufferPointer<UInt8>, source: String, knownCategories: Set<String>? = nil)
        throws -> (items: [CatalogItem], lines: [Int]) {
        var items: [CatalogItem] = []
        var lines: [Int] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var start = lineStart, end = lineEnd
            while start < end, isJSONSpace(bytes[start]) { start += 1 }
            while end > start, isJSONSpace(bytes[end - 1]) { end -= 1 }
            if start == end || bytes[start] == UInt8(ascii: "#") { continue }
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let json: JSONValue
            do { json = try JSONParser.parse(line) } catch {
                throw CatalogLoadError(source: source, line: lineNumber, item: nil, field: nil, message: error.description)
            }
            let parsed: CatalogItem
            do { parsed = try item(from: json) } catch {
                let id: String? = if case .string(let text)? = json["id"] { text } else { nil }
                throw CatalogLoadError(source: source, line: lineNumber, item: id, field: error.field, message: error.message)
            }
            if let knownCategories {
                for (field, ids) in [("categories", parsed.categories), ("blocked_page_categories", parsed.blockedPageCategories)] {
                    for (index, id) in ids.enumerated() where !knownCategories.contains(id) {
                        throw CatalogLoadError(source: source, line: lineNumber, item: parsed.id, field: "\(field)[\(index)]",
                                               message: "\"\(id.prefix(40))\" is not an IAB Content Taxonomy 3.1 id")
                    }
                }
            }
            items.append(parsed)
            lines.append(lineNumber)
        }
        return (items, lines)
    }

    static func isJSONSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    static let knownFields: Set<String> = ["id", "kind", "title", "body", "url", "image", "advertiser", "keywords",
                                           "negative_keywords", "categories", "priority", "weight", "languages",
                                           "frequency_cap", "targeting", "blocked_page_categories", "schedule", "tier",
                                           "sensitive_ok", "cpm"]

    static func item(from json: JSONValue) throws(RequestError) -> CatalogItem {
        var reader = try ObjectReader(object: json, path: "")
        try reader.allow(knownFields)
        guard let id = try reader.string("id"), !id.isEmpty else { throw RequestError(.missingField, "an item needs a non-empty id", field: "id") }
        var kind = ItemKind.content
        if let name = try reader.string("kind") {
            guard let parsed = ItemKind(rawValue: name) else { throw RequestError(.invalidValue, "kind must be ad, content or house", field: "kind") }
            kind = parsed
        }
        guard let title = try reader.string("title"), !title.isEmpty else {
            throw RequestError(.missingField, "an item needs a non-empty title", field: "title")
        }
        let advertiser = try reader.string("advertiser")
        if kind == .ad, advertiser?.isEmpty ?? true {
            throw RequestError(.missingField, "an ad needs its advertiser", field: "advertiser")
        }
        let priority = try reader.integer("priority") ?? 5
        guard CatalogItem.priorityRange.contains(priority) else {
            throw RequestError(.invalidValue, "priority must be between 0 and 10", field: "priority")
        }
        let weight = try reader.number("weight") ?? 1
        guard weight > 0 else { throw RequestError(.invalidValue, "weight must be positive", field: "weight") }
        let frequencyCap = try reader.integer("frequency_cap")
        if let frequencyCap, frequencyCap < 1 {
            throw RequestError(.invalidValue, "frequency_cap must be at least 1", field: "frequency_cap")
        }
        let languages = try reader.strings("languages") ?? []
        for (index, language) in languages.enumerated() where primaryLanguage(language) == nil {
            throw RequestError(.invalidValue, "not a language tag", field: "languages[\(index)]")
        }
        var targeting: String?
        switch reader.value("targeting") {
        case nil: targeting = nil
        case .string(let text)?: targeting = text
        case let value?: targeting = JSONWriter.string(value)
        }
        if let targeting {
            do { _ = try TargetingRule.parse(targeting) } catch {
                throw RequestError(.invalidValue, error.description, field: "targeting")
            }
        }
        var tier: Int?
        switch reader.value("tier") {
        case nil: tier = nil
        case .string(let name)?:
            guard let known = CatalogItem.tierNames[name] else {
                throw RequestError(.invalidValue, "tier must be sponsorship, paid, house or a number 0–9", field: "tier")
            }
            tier = known
        case .number(let number)?:
            guard number == number.rounded(), (0...9).contains(number) else {
                throw RequestError(.invalidValue, "tier must be sponsorship, paid, house or a number 0–9", field: "tier")
            }
            tier = Int(number)
        case let value?: throw RequestError(.invalidType, "tier must be a string or a number, not \(value.typeName)", field: "tier")
        }
        var schedule: Schedule?
        if let value = reader.value("schedule") { schedule = try decodeSchedule(value) }
        var cpm: Price?
        if let value = reader.value("cpm") { cpm = try decodePrice(value, field: "cpm") }
        return CatalogItem(id: id, kind: kind, title: title, body: try reader.string("body") ?? "",
                           url: try reader.string("url"), image: try reader.string("image"), advertiser: advertiser,
                           keywords: try reader.strings("keywords") ?? [],
                           negativeKeywords: try reader.strings("negative_keywords") ?? [],
                           categories: try reader.strings("categories") ?? [], priority: priority, weight: weight,
                           languages: languages.compactMap(primaryLanguage), frequencyCap: frequencyCap,
                           targeting: targeting, blockedPageCategories: try reader.strings("blocked_page_categories") ?? [],
                           schedule: schedule, tier: tier, sensitiveOK: try reader.bool("sensitive_ok") ?? false, cpm: cpm)
    }

    /// `{"amount": 2.5, "currency": "USD"}`: a finite amount of at least 0 and an ISO 4217 code.
    static func decodePrice(_ value: JSONValue, field: String) throws(RequestError) -> Price {
        var reader = try ObjectReader(object: value, path: field)
        try reader.allow(["amount", "currency"])
        guard let amount = try reader.number("amount") else {
            throw RequestError(.missingField, "a price needs its amount", field: "\(field).amount")
        }
        guard amount.isFinite, amount >= 0, amount <= 1_000_000 else {
            throw RequestError(.invalidValue, "amount must be between 0 and 1000000", field: "\(field).amount")
        }
        guard let currency = try reader.string("currency") else {
            throw RequestError(.missingField, "a price needs its currency (ISO 4217, e.g. USD)", field: "\(field).currency")
        }
        guard Price.isCurrencyCode(currency) else {
            throw RequestError(.invalidValue, "currency must be an ISO 4217 code of three capital letters, e.g. USD", field: "\(field).currency")
        }
        return Price(amount: amount, currency: currency)
    }
}

extension CatalogLoader {
    /// `{"start", "end", "weekdays": ["mon", …], "hours": [from, to], "time_zone": "Europe/Paris"}`.
    static func decodeSchedule(_ value: JSONValue) throws(RequestError) -> Schedule {
        var reader = try ObjectReader(object: value, path: "schedule")
        try reader.allow(["start", "end", "weekdays", "hours", "time_zone"])
        var schedule = Schedule()
        for key in ["start", "end"] {
            guard let text = try reader.string(key) else { continue }
            guard let seconds = unixSeconds(iso8601: text) else {
                throw RequestError(.invalidValue, "must be an ISO 8601 time such as 2026-12-01T00:00:00Z", field: "schedule.\(key)")
            }
            if key == "start" { schedule.start = seconds } else { schedule.end = seconds }
        }
        if let start = schedule.start, let end = schedule.end, end <= start {
            throw RequestError(.invalidValue, "end must come after start", field: "schedule.end")
        }
        for (index, name) in (try reader.strings("weekdays") ?? []).enumerated() {
            guard let day = Schedule.weekdayNames[name.lowercased()] else {
                throw RequestError(.invalidValue, "weekdays are mon, tue, wed, thu, fri, sat, sun", field: "schedule.weekdays[\(index)]")
            }
            schedule.weekdays.append(day)
        }
        if let hours = try reader.array("hours") {
            guard hours.count == 2, case .number(let from) = hours[0], case .number(let to) = hours[1],
                  from == from.rounded(), to == to.rounded(), from >= 0, to <= 24, from < to else {
                throw RequestError(.invalidValue, "hours is [from, to] with 0 ≤ from < to ≤ 24 (to exclusive)", field: "schedule.hours")
            }
            schedule.startHour = Int(from)
            schedule.endHour = Int(to)
        }
        if let zone = try reader.string("time_zone") {
            guard TimeZone(identifier: zone) != nil else {
                throw RequestError(.invalidValue, "unknown time zone; use an IANA name such as Europe/Paris", field: "schedule.time_zone")
            }
            schedule.timeZone = zone
        }
        return schedule
    }
}

/// A catalog that does not load, with where and why.
public struct CatalogLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var line: Int?
    public var item: String?
    public var field: String?
    public var message: String

    public var description: String {
        var place = source
        if let line { place += ":\(line)" }
        if let item { place += " item \"\(item)\"" }
        if let field { place += " field \(field)" }
        return "\(place): \(message)"
    }
}
