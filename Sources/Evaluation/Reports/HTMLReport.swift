extension EvaluationReport {
    /// A self-contained HTML page: the tables of the Markdown report and two charts drawn as
    /// inline SVG (no script, no network).
    public var html: String {
        var body = "<h1>Evaluation</h1>\n"
        body += "<p>Runs: " + evaluations.map { "<code>\(escape($0.tag))</code> (\($0.queries.count) queries)" }.joined(separator: ", ")
            + ". Relevance level \(relevanceLevel)" + (averageOverAllQueries ? ", averaged over all qrels queries (-c)." : ".") + "</p>\n"
        body += measureTable()
        body += "<h2>Measures side by side</h2>\n" + measureChart()
        if !comparisons.isEmpty {
            body += "<h2>Comparisons with <code>\(escape(evaluations[0].tag))</code></h2>\n" + comparisonTable()
            let primary = comparisons[0].measure
            for comparison in comparisons where comparison.measure == primary {
                body += "<h3>Per-query difference in \(escape(primary)): <code>\(escape(comparison.run))</code> − "
                    + "<code>\(escape(comparison.baseline))</code></h3>\n" + differenceChart(comparison)
            }
        }
        if !quality.isEmpty { body += qualityTable() }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>ctxsel evaluation</title>
            <style>
            body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border-bottom: 1px solid #ddd; padding: .3em .7em; text-align: right; white-space: nowrap; }
            th:first-child, td:first-child, table.comparisons td:nth-child(2), table.comparisons th:nth-child(2) { text-align: left; }
            .up { color: #1a7f37; font-weight: bold; } .down { color: #c62828; font-weight: bold; }
            .note { color: #555; font-size: 90%; } svg { display: block; margin: .5em 0 1.5em; }
            </style></head><body>
            \(body)
            <p class="note">\(escape(Self.legend)) Randomization: \(permutations) sign permutations (exact when 2ⁿ is fewer), seed \(seed).</p>
            </body></html>

            """
    }

    func measureTable() -> String {
        var html = "<table><tr><th>measure</th>" + evaluations.map { "<th><code>\(escape($0.tag))</code></th>" }.joined() + "</tr>\n"
        for measure in tableMeasures {
            html += "<tr><td>\(escape(measure))</td>"
            for evaluation in evaluations {
                guard let value = evaluation.value(measure) else { html += "<td>–</td>"; continue }
                let text = measure.hasPrefix("num_") ? String(Int(value)) : formatFixed(value, decimals: 4)
                let mark = self.mark(evaluation.tag, measure)
                let style = mark == "▲" ? " class=\"up\"" : (mark == "▼" ? " class=\"down\"" : "")
                html += "<td\(style)>\(text)\(mark)</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    func comparisonTable() -> String {
        var html = "<table class=\"comparisons\"><tr><th>run</th><th>measure</th><th>baseline</th><th>run</th><th>Δ mean</th><th>95% CI</th>"
            + "<th>t-test p</th><th>randomization p</th><th>Holm p</th><th>W/T/L</th></tr>\n"
        for c in comparisons {
            let style = c.isSignificant() ? (c.meanDifference > 0 ? " class=\"up\"" : " class=\"down\"") : ""
            html += "<tr><td><code>\(escape(c.run))</code></td><td>\(escape(c.measure))</td>"
                + "<td>\(formatFixed(c.baselineMean, decimals: 4))</td><td>\(formatFixed(c.runMean, decimals: 4))</td>"
                + "<td\(style)>\(formatSigned(c.meanDifference))</td>"
                + "<td>[\(formatFixed(c.interval.lower, decimals: 4)), \(formatFixed(c.interval.upper, decimals: 4))]</td>"
                + "<td>\(c.tTest.map { formatP($0.pValue) } ?? "–")</td><td>\(formatP(c.randomization.pValue))</td>"
                + "<td\(style)>\(formatP(c.holmPValue))</td><td>\(c.wins)/\(c.ties)/\(c.losses)</td></tr>\n"
        }
        return html + "</table>\n"
    }

    func qualityTable() -> String {
        var html = "<h2>Selection quality (top \(qualityDepth) of each list)</h2>\n<table><tr><th>run</th><th>coverage</th>"
            + "<th>intra-list diversity</th><th>advertiser spread</th><th>category spread</th><th>fill rate</th></tr>\n"
        for evaluation in evaluations {
            guard let q = quality[evaluation.tag] else { continue }
            let values: [Double?] = [q.coverage, q.intraListDiversity, q.advertiserSpread, q.categorySpread, q.fillRate]
            html += "<tr><td><code>\(escape(evaluation.tag))</code></td>"
                + values.map { "<td>\(formatFixed($0, decimals: 4))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"]

    /// Grouped horizontal bars: one group per measure in 0…1, one bar per run.
    func measureChart() -> String {
        let measures = tableMeasures.filter { !$0.hasPrefix("num_") }
        let barHeight = 14.0, gap = 10.0, labelWidth = 120.0, plotWidth = 480.0
        let groupHeight = Double(evaluations.count) * barHeight + gap
        let height = Double(measures.count) * groupHeight + 40
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + plotWidth + 170))\" height=\"\(Int(height))\" "
            + "role=\"img\" aria-label=\"measures by run\" font-family=\"sans-serif\" font-size=\"12\">\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let x = labelWidth + tick * plotWidth
            svg += "<line x1=\"\(x)\" y1=\"0\" x2=\"\(x)\" y2=\"\(height - 30)\" stroke=\"#eee\"/>"
                + "<text x=\"\(x)\" y=\"\(height - 15)\" text-anchor=\"middle\" fill=\"#555\">\(formatFixed(tick, decimals: 2))</text>\n"
        }
        for (group, measure) in measures.enumerated() {
            let top = Double(group) * groupHeight
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(top + groupHeight / 2)\" text-anchor=\"end\">\(escape(measure))</text>\n"
            for (index, evaluation) in evaluations.enumerated() {
                let value = min(max(evaluation.value(measure) ?? 0, 0), 1)
                let y = top + Double(index) * barHeight
                let color = Self.palette[index % Self.palette.count]
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(value * plotWidth)\" height=\"\(barHeight - 2)\" fill=\"\(color)\">"
                    + "<title>\(escape(evaluation.tag)) \(escape(measure)) \(formatFixed(value, decimals: 4))</title></rect>"
                    + "<text x=\"\(labelWidth + value * plotWidth + 4)\" y=\"\(y + barHeight - 4)\" fill=\"#333\" font-size=\"10\">"
                    + "\(formatFixed(value, decimals: 4))\(mark(evaluation.tag, measure))</text>\n"
            }
        }
        for (index, evaluation) in evaluations.enumerated() {
            let y = 10.0 + Double(index) * 16
            svg += "<rect x=\"\(labelWidth + plotWidth + 60)\" y=\"\(y)\" width=\"10\" height=\"10\" fill=\"\(Self.palette[index % Self.palette.count])\"/>"
                + "<text x=\"\(labelWidth + plotWidth + 75)\" y=\"\(y + 9)\">\(escape(evaluation.tag))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Per-query differences, sorted, as bars above (better) or below (worse) a zero line.
    func differenceChart(_ comparison: RunComparison) -> String {
        let sorted = comparison.differences.enumerated().sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
        let width = 760.0, height = 220.0, margin = 40.0
        let largest = max(sorted.map { abs($0.element) }.max() ?? 0, 1e-9)
        let barWidth = (width - 2 * margin) / Double(max(sorted.count, 1))
        let zero = height / 2
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" "
            + "aria-label=\"per-query differences\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(zero)\" x2=\"\(width - margin)\" y2=\"\(zero)\" stroke=\"#888\"/>\n"
        svg += "<text x=\"\(margin - 4)\" y=\"14\" text-anchor=\"end\" fill=\"#555\">+\(formatFixed(largest, decimals: 2))</text>"
            + "<text x=\"\(margin - 4)\" y=\"\(height - 6)\" text-anchor=\"end\" fill=\"#555\">−\(formatFixed(largest, decimals: 2))</text>\n"
        for (position, entry) in sorted.enumerated() {
            let length = abs(entry.element) / largest * (zero - 16)
            let x = margin + Double(position) * barWidth
            let y = entry.element >= 0 ? zero - length : zero
            let color = entry.element > 0 ? "#1a7f37" : (entry.element < 0 ? "#c62828" : "#999")
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(max(barWidth - 0.5, 0.5))\" height=\"\(max(length, 0.5))\" fill=\"\(color)\">"
                + "<title>query \(escape(comparison.queries[entry.offset])): \(formatSigned(entry.element))</title></rect>\n"
        }
        svg += "<text x=\"\(width - margin)\" y=\"14\" text-anchor=\"end\" fill=\"#333\">\(comparison.wins) better, "
            + "\(comparison.ties) tied, \(comparison.losses) worse; Δ mean \(formatSigned(comparison.meanDifference))</text>\n"
        return svg + "</svg>\n"
    }
}

/// Escapes text for HTML element content and attribute values.
func escape(_ text: String) -> String {
    var result = ""
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        default: result.append(character)
        }
    }
    return result
}
