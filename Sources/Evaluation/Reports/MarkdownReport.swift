extension EvaluationReport {
    /// The report as Markdown: the measure table with significance marks, the comparisons, and
    /// selection quality.
    public var markdown: String {
        var lines: [String] = ["# Evaluation", ""]
        lines.append("Runs: " + evaluations.map { "`\($0.tag)` (\($0.queries.count) queries)" }.joined(separator: ", ")
            + ". Relevance level \(relevanceLevel)" + (averageOverAllQueries ? ", averaged over all qrels queries (-c)." : "."))
        lines.append("")
        lines.append("| measure | " + evaluations.map { "`\($0.tag)`" }.joined(separator: " | ") + " |")
        lines.append("|---|" + evaluations.map { _ in "---:|" }.joined())
        for measure in tableMeasures {
            let cells = evaluations.map { evaluation -> String in
                guard let value = evaluation.value(measure) else { return "–" }
                let isCount = measure.hasPrefix("num_")
                return (isCount ? String(Int(value)) : formatFixed(value, decimals: 4)) + mark(evaluation.tag, measure)
            }
            lines.append("| \(measure) | " + cells.joined(separator: " | ") + " |")
        }
        if !comparisons.isEmpty {
            lines += ["", Self.legend, "", "## Comparisons with `\(evaluations[0].tag)`", ""]
            lines.append("| run | measure | baseline | run | Δ mean | 95% CI (bootstrap) | t-test p | randomization p | Holm p | W/T/L |")
            lines.append("|---|---|---:|---:|---:|---|---:|---:|---:|---|")
            for c in comparisons {
                let ci = "[\(formatFixed(c.interval.lower, decimals: 4)), \(formatFixed(c.interval.upper, decimals: 4))]"
                let t = c.tTest.map { formatP($0.pValue) } ?? "–"
                lines.append("| `\(c.run)` | \(c.measure) | \(formatFixed(c.baselineMean, decimals: 4)) | \(formatFixed(c.runMean, decimals: 4)) | "
                    + "\(formatSigned(c.meanDifference)) | \(ci) | \(t) | \(formatP(c.randomization.pValue)) | "
                    + "\(formatP(c.holmPValue))\(c.isSignificant() ? " *" : "") | \(c.wins)/\(c.ties)/\(c.losses) |")
            }
            lines += ["", "Randomization: \(permutations) sign permutations (exact when 2ⁿ is fewer), seed \(seed); "
                + "bootstrap: \(BootstrapInterval.defaultResamples) resamples; * significant after Holm–Bonferroni over all \(comparisons.count) comparisons."]
        }
        if !quality.isEmpty {
            lines += ["", "## Selection quality (top \(qualityDepth) of each list)", ""]
            lines.append("| run | coverage | intra-list diversity | advertiser spread | category spread | fill rate |")
            lines.append("|---|---:|---:|---:|---:|---:|")
            for evaluation in evaluations {
                guard let q = quality[evaluation.tag] else { continue }
                lines.append("| `\(evaluation.tag)` | \(formatFixed(q.coverage, decimals: 4)) | \(formatFixed(q.intraListDiversity, decimals: 4)) | "
                    + "\(formatFixed(q.advertiserSpread, decimals: 4)) | \(formatFixed(q.categorySpread, decimals: 4)) | \(formatFixed(q.fillRate, decimals: 4)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

func formatP(_ p: Double) -> String { p < 0.0001 ? "<0.0001" : formatFixed(p, decimals: 4) }
func formatSigned(_ value: Double) -> String { (value >= 0 ? "+" : "") + formatFixed(value, decimals: 4) }
