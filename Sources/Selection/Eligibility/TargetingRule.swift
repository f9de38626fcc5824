import TextAnalysis
import WireFormat

/// A keyword targeting rule: which pages an item wants.
///
/// Written either in Kevel's style, lines of comma-separated keywords where a comma is AND, a new
/// line is OR and `!` is NOT (`tea,green` newline `!coffee` targets pages about green tea, or any
/// page without coffee), or in an explicit JSON form: a keyword string, `{"all": [rules]}`,
/// `{"any": [rules]}` or `{"not": rule}`. A keyword (a word or a phrase) matches a page that
/// contains all its analysed terms.
public indirect enum TargetingRule: Hashable, Sendable {
    case keyword(String)
    case all([TargetingRule])
    case any([TargetingRule])
    case not(TargetingRule)

    /// Parses either form: text starting with `{`, `[` or `"` is JSON.
    public static func parse(_ text: String) throws(TargetingRuleError) -> TargetingRule {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        if let first = trimmed.first, first == "{" || first == "[" || first == "\"" {
            let json: JSONValue
            do { json = try JSONParser.parse(String(trimmed)) } catch { throw TargetingRuleError(message: "not JSON: \(error)") }
            return try parse(json)
        }
        var alternatives: [TargetingRule] = []
        for line in text.split(whereSeparator: \.isNewline) {
            var conjunction: [TargetingRule] = []
            for literal in line.split(separator: ",", omittingEmptySubsequences: false) {
                var word = literal.trimmingSpaces()
                var negated = false
                if word.hasPrefix("!") { negated = true; word = String(word.dropFirst()).trimmingSpaces() }
                guard !word.isEmpty else { throw TargetingRuleError(message: "an empty keyword in \"\(line)\"") }
                conjunction.append(negated ? .not(.keyword(word)) : .keyword(word))
            }
            if !conjunction.isEmpty { alternatives.append(conjunction.count == 1 ? conjunction[0] : .all(conjunction)) }
        }
        guard !alternatives.isEmpty else { throw TargetingRuleError(message: "no keyword") }
        return alternatives.count == 1 ? alternatives[0] : .any(alternatives)
    }

    static func parse(_ json: JSONValue) throws(TargetingRuleError) -> TargetingRule {
        switch json {
        case .string(let word):
            guard !word.trimmingSpaces().isEmpty else { throw TargetingRuleError(message: "an empty keyword") }
            return .keyword(word)
        case .object(let members) where members.count == 1:
            let (operation, operand) = members[0]
            switch operation {
            case "all", "any":
                guard case .array(let values) = operand, !values.isEmpty else {
                    throw TargetingRuleError(message: "\"\(operation)\" needs a non-empty array")
                }
                var rules: [TargetingRule] = []
                for value in values { rules.append(try parse(value)) }
                return operation == "all" ? .all(rules) : .any(rules)
            case "not": return .not(try parse(operand))
            default: throw TargetingRuleError(message: "unknown operator \"\(operation)\"; use all, any or not")
            }
        default:
            throw TargetingRuleError(message: "a rule is a keyword string or an object with one of all, any, not")
        }
    }

    /// The rule with every keyword analysed into terms, ready to test against a page.
    public func compiled(with analyzer: Analyzer, scratch: AnalysisScratch) -> CompiledTargetingRule {
        switch self {
        case .keyword(let word): .keyword(analyzer.tokens(in: word, scratch: scratch).map(\.term))
        case .all(let rules): .all(rules.map { $0.compiled(with: analyzer, scratch: scratch) })
        case .any(let rules): .any(rules.map { $0.compiled(with: analyzer, scratch: scratch) })
        case .not(let rule): .not(rule.compiled(with: analyzer, scratch: scratch))
        }
    }
}

/// A targeting rule over analysed terms.
public indirect enum CompiledTargetingRule: Hashable, Sendable {
    case keyword([String])
    case all([CompiledTargetingRule])
    case any([CompiledTargetingRule])
    case not(CompiledTargetingRule)

    /// Whether a page with `terms` satisfies the rule. A keyword that analyses to nothing (only
    /// stop words) matches no page.
    public func matches(_ terms: Set<String>) -> Bool {
        switch self {
        case .keyword(let words): !words.isEmpty && words.allSatisfy(terms.contains)
        case .all(let rules): rules.allSatisfy { $0.matches(terms) }
        case .any(let rules): rules.contains { $0.matches(terms) }
        case .not(let rule): !rule.matches(terms)
        }
    }
}

public struct TargetingRuleError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "targeting rule: \(message)" }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
