import WireFormat

/// Typed, path-aware access to one JSON object's members.
public struct ObjectReader {
    public let members: [(String, JSONValue)]
    public let path: String

    public init(_ value: JSONValue, path: String) {
        if case .object(let members) = value { self.members = members } else { self.members = [] }
        self.path = path
    }

    public init(object value: JSONValue, path: String) throws(RequestError) {
        guard case .object = value else {
            throw RequestError(.invalidType, "\(path) must be an object, not \(value.typeName)", field: path)
        }
        self.init(value, path: path)
    }

    public func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses members not in `known`, and repeated members.
    public mutating func allow(_ known: Set<String>) throws(RequestError) {
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

    public func value(_ key: String) -> JSONValue? {
        guard let found = members.last(where: { $0.0 == key })?.1 else { return nil }
        if case .null = found { return nil }
        return found
    }

    public func string(_ key: String) throws(RequestError) -> String? {
        guard let found = value(key) else { return nil }
        guard case .string(let text) = found else {
            throw RequestError(.invalidType, "must be a string, not \(found.typeName)", field: fieldPath(key))
        }
        return text
    }

    public func bool(_ key: String) throws(RequestError) -> Bool? {
        guard let found = value(key) else { return nil }
        guard case .bool(let flag) = found else {
            throw RequestError(.invalidType, "must be true or false, not \(found.typeName)", field: fieldPath(key))
        }
        return flag
    }

    public func integer(_ key: String) throws(RequestError) -> Int? {
        guard let found = value(key) else { return nil }
        guard case .number(let number) = found, number == number.rounded(), abs(number) < 1e9 else {
            throw RequestError(.invalidType, "must be an integer, not \(found.typeName)", field: fieldPath(key))
        }
        return Int(number)
    }

    public func number(_ key: String) throws(RequestError) -> Double? {
        guard let found = value(key) else { return nil }
        guard case .number(let number) = found else {
            throw RequestError(.invalidType, "must be a number, not \(found.typeName)", field: fieldPath(key))
        }
        return number
    }

    public func array(_ key: String) throws(RequestError) -> [JSONValue]? {
        guard let found = value(key) else { return nil }
        guard case .array(let values) = found else {
            throw RequestError(.invalidType, "must be an array, not \(found.typeName)", field: fieldPath(key))
        }
        return values
    }

    public func strings(_ key: String) throws(RequestError) -> [String]? {
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
