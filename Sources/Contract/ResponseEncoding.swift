import WireFormat

public import Selection
public import SelectionCore
import TextAnalysis

// The response's wire form: the NDJSON line of the interface contract, and the error record.

extension SelectionResponse {
    /// Most matched terms listed per item when the request does not ask to explain.
    public static let matchedTermsShown = 10

    /// The NDJSON form of the interface contract.
    public var json: JSONValue {
        .object([
            ("id", id.map(JSONValue.string) ?? .null),
            ("slots", .array(slots.map { slot in
                .object([
                    ("id", .string(slot.id)),
                    ("count", .number(Double(slot.requested))),
                    ("items", .array(slot.items.map(\.json))),
                ])
            })),
            ("fill_rate", .number(fillRate)),
            ("keywords", .array(keywords.map { keyword in
                .object([("term", .string(keyword.term)), ("text", .string(keyword.text)), ("weight", .number(keyword.weight))])
            })),
            ("categories", .array(categories.map { category in
                var fields: [(String, JSONValue)] = [("id", .string(category.id)), ("name", .string(category.name)),
                                                     ("score", .number(category.score))]
                if let evidence = category.evidence {
                    fields.append(("evidence", .array(evidence.map { .object([("text", .string($0.text)), ("weight", .number($0.weight))]) })))
                }
                return .object(fields)
            })),
            ("sensitive", sensitive.map(JSONValue.bool) ?? .null),
            ("language", language.map { language in
                var fields: [(String, JSONValue)] = [("value", .string(language.code)), ("source", .string(language.source.rawValue))]
                if let confidence = language.confidence { fields.append(("confidence", .number(confidence))) }
                if let contradicted = language.contradicted { fields.append(("declared", .string(contradicted))) }
                if let note = categoriesNote { fields.append(("categories", .string(note))) }
                return .object(fields)
            } ?? .null),
            ("session", session.map(JSONValue.string) ?? .null),
            ("dropped", dropped.map { list in
                .object([
                    ("total", .number(Double(droppedTotal))),
                    ("shown", .array(list.map { .object([("id", .string($0.id)), ("reason", .string($0.reason))]) })),
                ])
            } ?? .null),
            ("privacy", .object([
                ("consent", .object([
                    ("requested", .string(privacy.requested.rawValue)),
                    ("applied", .string(privacy.applied.rawValue)),
                    ("reason", .string(privacy.reason)),
                ])),
                ("used", .array(privacy.used.map(JSONValue.string))),
                ("refused", .array(privacy.refused.map(\.json))),
                ("ignored", .array(privacy.ignored.map(\.json))),
                ("sensitive", privacy.sensitive.map(JSONValue.bool) ?? .null),
                ("stored", .string(privacy.stored)),
            ])),
        ])
    }
}

extension PrivacyReceipt.FieldNote {
    public var json: JSONValue { .object([("field", .string(field)), ("reason", .string(reason))]) }
}

extension SelectionResponse.SelectedItem {
    public var json: JSONValue {
        let item = candidate.item
        var why: [(String, JSONValue)] = [
            ("matched_terms", .array(candidate.matchedTerms.prefix(SelectionResponse.matchedTermsShown).map {
                .object([("term", .string($0.term)), ("weight", .number($0.weight))])
            })),
            ("relevance", .object([("bm25", .number(candidate.relevance.bm25)), ("cosine", .number(candidate.relevance.cosine)),
                                   ("coverage", .number(candidate.relevance.coverage))])),
            ("tier", .number(Double(item.tier))),
            ("score", candidate.explanation.json(depth: relevanceExplanation == nil ? 3 : 12)),
        ]
        if let probability = candidate.selectionProbability { why.append(("probability", .number(probability))) }
        if isFallback { why.append(("fallback", .bool(true))) }
        if let relevanceExplanation { why.append(("relevance_explanation", relevanceExplanation.json(depth: 12))) }
        var fields: [(String, JSONValue)] = [
            ("id", .string(item.id)),
            ("kind", .string(item.kind.rawValue)),
            ("score", .number(candidate.score)),
            ("title", .string(item.title)),
            ("url", item.url.map(JSONValue.string) ?? .null),
        ]
        if let advertiser = item.advertiser { fields.append(("advertiser", .string(advertiser))) }
        if let image = item.image { fields.append(("image", .string(image))) }
        if !item.categories.isEmpty { fields.append(("categories", .array(item.categories.map(JSONValue.string)))) }
        fields.append(("why", .object(why)))
        return .object(fields)
    }
}

extension Explanation {
    /// The explanation tree as JSON, cut at `depth` levels to bound the response size.
    public func json(depth: Int) -> JSONValue {
        var members: [(String, JSONValue)] = [("value", .number(value)), ("description", .string(description))]
        if depth > 1, !details.isEmpty { members.append(("details", .array(details.map { $0.json(depth: depth - 1) }))) }
        return .object(members)
    }
}

extension RequestError {
    /// The NDJSON error record for input line `line`.
    public func record(line: Int, id: String?) -> JSONValue {
        var error: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
        if let field { error.append(("field", .string(field))) }
        return .object([("line", .number(Double(line))), ("id", id.map(JSONValue.string) ?? .null), ("error", .object(error))])
    }
}
