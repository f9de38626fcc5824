import Foundation
import WireFormat

/// A report as JSON, Markdown, CSV or a self-contained HTML page with bar charts and error bars.
extension PrivateReport {
    /// `{"epsilon", "delta", "contributions", "private", "responses", "error_records", "tables": {…},
    /// "noise": {…}}`, one object, keys in a fixed order.
    public var json: JSONValue {
        var tableMembers: [(String, JSONValue)] = []
        var noiseMembers: [(String, JSONValue)] = [("responses", Self.json(responseNoise))]
        for table in ReportTable.allCases {
            tableMembers.append((table.rawValue, .array(tables[table, default: []].map { entry in
                var members: [(String, JSONValue)] = [("key", .string(entry.key))]
                if let name = entry.name { members.append(("name", .string(name))) }
                members.append(("count", .number(Double(entry.count))))
                if let filled = entry.filled { members.append(("filled", .number(Double(filled)))) }
                if let rate = entry.fillRate { members.append(("fill_rate", .number(rate))) }
                return .object(members)
            })))
            noiseMembers.append((table.rawValue, Self.json(noise[table]!)))
        }
        return .object([
            ("epsilon", .number(parameters.epsilon)),
            ("delta", .number(parameters.delta)),
            ("contributions", .object([("unit", .string(parameters.maxContributions == 1 ? "one response" : "\(parameters.maxContributions) responses")),
                                       ("max_contributions", .number(Double(parameters.maxContributions))),
                                       ("keys_per_response", .number(Double(parameters.keysPerResponse)))])),
            ("private", .bool(isPrivate)),
            ("responses", .number(Double(responses))),
            ("error_records", .number(Double(errorRecords))),
            ("tables", .object(tableMembers)),
            ("noise", .object(noiseMembers)),
        ])
    }

    static func json(_ noise: Noise) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("mechanism", .string(noise.mechanism)), ("epsilon", .number(noise.epsilon)), ("delta", .number(noise.delta)),
            ("sensitivity", .number(Double(noise.sensitivity))), ("scale", .number(noise.scale)),
            ("stddev", .number(noise.standardDeviation)), ("ci95", .number(Double(noise.halfWidth95))),
        ]
        if let threshold = noise.threshold { members.append(("threshold", .number(Double(threshold)))) }
        return .object(members)
    }

    /// The guarantee in one sentence, for every format.
    public var guarantee: String {
        let unit = parameters.maxContributions == 1 ? "any one response" : "any \(parameters.maxContributions) responses together"
        let budget = "ε = \(Self.number(parameters.epsilon)), δ = \(Self.number(parameters.delta))"
        guard isPrivate else { return "NOT PRIVATE: the noise came from --seed, so anyone with the seed can remove it." }
        return "(\(budget))-differentially private for \(unit): each response adds at most \(parameters.keysPerResponse) keys "
            + "to each table; ε is split evenly over \(ReportParameters.noisedTables) tables, δ over the \(ReportTable.allCases.count) keyed ones."
    }

    public var markdown: String {
        var text = "# Aggregate report\n\n\(guarantee)\n\n"
        text += "Responses: **\(responses)** ± \(responseNoise.halfWidth95); error records: \(errorRecords) ± \(responseNoise.halfWidth95) "
            + "(95 % of the noise lies within ±).\n\n"
        for table in ReportTable.allCases {
            let noise = self.noise[table]!
            text += "## \(table.rawValue.capitalized)\n\n"
            text += "Noise: discrete Laplace, scale \(Self.number(noise.scale)), stddev \(Self.number(noise.standardDeviation)), "
                + "95 % within ±\(noise.halfWidth95); keys published from a noised count of \(noise.threshold ?? 0).\n\n"
            let entries = tables[table, default: []]
            if entries.isEmpty { text += "No key passed the threshold.\n\n"; continue }
            if table == .slots {
                text += "| slot | served | filled | fill rate |\n|---|---:|---:|---:|\n"
                for e in entries { text += "| \(Self.cell(e.key)) | \(e.count) | \(e.filled ?? 0) | \(Self.number(e.fillRate ?? 0)) |\n" }
            } else {
                text += "| \(table == .categories ? "category" : "key") | count |\n|---|---:|\n"
                for e in entries { text += "| \(Self.cell(e.name.map { "\(e.key) \($0)" } ?? e.key)) | \(e.count) |\n" }
            }
            text += "\n"
        }
        return text
    }

    /// `table,key,name,count,filled,fill_rate,stddev`, one row per published key and two for the
    /// response counts (RFC 4180 quoting).
    public var csv: String {
        var text = "table,key,name,count,filled,fill_rate,stddev\n"
        let responseSD = Self.number(responseNoise.standardDeviation)
        text += "responses,responses,,\(responses),,,\(responseSD)\nresponses,error_records,,\(errorRecords),,,\(responseSD)\n"
        for table in ReportTable.allCases {
            let sd = Self.number(noise[table]!.standardDeviation)
            for e in tables[table, default: []] {
                text += [table.rawValue, Self.quoted(e.key), Self.quoted(e.name ?? ""), String(e.count), e.filled.map(String.init) ?? "",
                         e.fillRate.map(Self.number) ?? "", sd].joined(separator: ",") + "\n"
            }
        }
        return text
    }

    /// A page with one bar chart per table, each bar with its 95 % error bar, as inline SVG.
    public var html: String {
        var body = "<h1>Aggregate report</h1>\n<p>\(Self.escape(guarantee))</p>\n"
        body += "<p>Responses: <b>\(responses)</b> ± \(responseNoise.halfWidth95); error records: \(errorRecords) ± \(responseNoise.halfWidth95).</p>\n"
        for table in ReportTable.allCases {
            let noise = self.noise[table]!
            body += "<h2>\(table.rawValue.capitalized)</h2>\n<p class=\"note\">Discrete Laplace, scale \(Self.number(noise.scale)), "
                + "stddev \(Self.number(noise.standardDeviation)); bars show 95 % of the noise (±\(noise.halfWidth95)); keys published from "
                + "a noised count of \(noise.threshold ?? 0).</p>\n"
            let entries = tables[table, default: []]
            body += entries.isEmpty ? "<p>No key passed the threshold.</p>\n" : chart(entries, halfWidth: noise.halfWidth95, slots: table == .slots)
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>ctxsel report</title>
            <style>
            body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }
            .note { color: #555; font-size: 90%; } svg { display: block; margin: .5em 0 1.5em; }
            svg text { font: 12px system-ui, sans-serif; } .bar { fill: #4a78b5; } .err { stroke: #222; stroke-width: 1.5; }
            </style></head><body>
            \(body)</body></html>

            """
    }

    /// Horizontal bars (the first 40 keys), each with its error bar; slots show served, with the
    /// fill rate in the label.
    func chart(_ entries: [Entry], halfWidth: Int, slots: Bool) -> String {
        let shown = Array(entries.prefix(40))
        let widest = Double(shown.map { $0.count + halfWidth }.max() ?? 1)
        let labelWidth = 220.0, barWidth = 480.0, row = 20.0
        let height = row * Double(shown.count) + 10
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + barWidth + 90))\" height=\"\(Int(height))\" role=\"img\">\n"
        for (index, e) in shown.enumerated() {
            let y = 5 + row * Double(index)
            let scale = barWidth / max(widest, 1)
            let width = max(0, Double(e.count)) * scale
            let low = max(0, Double(e.count - halfWidth)) * scale, high = Double(e.count + halfWidth) * scale
            let label = e.name.map { "\(e.key) \($0)" } ?? e.key
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Self.number(y + 13))\" text-anchor=\"end\">\(Self.escape(String(label.prefix(34))))</text>"
            svg += "<rect class=\"bar\" x=\"\(Int(labelWidth))\" y=\"\(Self.number(y + 3))\" width=\"\(Self.number(width))\" height=\"\(Int(row - 6))\"/>"
            svg += "<line class=\"err\" x1=\"\(Self.number(labelWidth + low))\" x2=\"\(Self.number(labelWidth + high))\" y1=\"\(Self.number(y + row / 2))\" y2=\"\(Self.number(y + row / 2))\"/>"
            let value = slots ? "\(e.count), \(Self.number((e.fillRate ?? 0) * 100)) % filled" : "\(e.count)"
            svg += "<text x=\"\(Self.number(labelWidth + high + 6))\" y=\"\(Self.number(y + 13))\">\(value)</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.4g", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
