/// What a report is asked to guarantee.
public struct ReportParameters: Hashable, Sendable {
    /// The whole budget ε, split evenly over the six noised tables (the response counts and
    /// the five keyed tables).
    public var epsilon: Double
    /// The whole δ, split evenly over the five keyed tables (their partition selection).
    public var delta: Double
    /// Keys one response adds to each keyed table, at most.
    public var keysPerResponse: Int
    /// Responses one privacy unit may contribute: 1 protects each page view; a deployer who
    /// caps a visit at M page views and sets M protects each visit.
    public var maxContributions: Int

    public init(epsilon: Double, delta: Double = 1e-6, keysPerResponse: Int = 5, maxContributions: Int = 1) {
        self.epsilon = epsilon
        self.delta = delta
        self.keysPerResponse = keysPerResponse
        self.maxContributions = maxContributions
    }

    public static let noisedTables = 1 + ReportTable.allCases.count

    /// - Throws: ``ReportError`` naming the parameter that is out of range.
    public func validate() throws(ReportError) {
        guard epsilon.isFinite, epsilon > 0 else { throw ReportError("--epsilon must be a positive number, not \(epsilon)") }
        guard epsilon / Double(Self.noisedTables) * Double(DiscreteLaplace.epsilonDenominator) >= 1 else {
            throw ReportError("--epsilon \(epsilon) is too small: each of the \(Self.noisedTables) tables needs at least 1e-6")
        }
        guard delta.isFinite, delta > 0, delta < 1 else { throw ReportError("--delta must lie strictly between 0 and 1, not \(delta)") }
        guard keysPerResponse >= 1, keysPerResponse <= 1000 else {
            throw ReportError("--keys-per-response must be 1 to 1000, not \(keysPerResponse)")
        }
        guard maxContributions >= 1, maxContributions <= 1_000_000 else {
            throw ReportError("--max-contributions must be 1 to 1000000, not \(maxContributions)")
        }
    }

    /// Each table's share.
    public var epsilonPerTable: Double { epsilon / Double(Self.noisedTables) }
    public var deltaPerTable: Double { delta / Double(ReportTable.allCases.count) }

    /// The L1 sensitivity of a table: what one privacy unit can change in it. The response
    /// counts move by M in all (a line is a response or an error record); a keyed table by M·k;
    /// the slots table by 2·M·k, since a slot adds to its served and its filled count.
    public func sensitivity(of table: ReportTable?) -> Int {
        switch table {
        case nil: maxContributions
        case .slots?: 2 * maxContributions * keysPerResponse
        case _?: maxContributions * keysPerResponse
        }
    }
}

public struct ReportError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A published report: noised counts, only the keys that passed partition selection, and the
/// parameters that say what it guarantees.
public struct PrivateReport: Sendable {
    public struct Entry: Hashable, Sendable {
        public var key: String
        /// A category's name; nil elsewhere.
        public var name: String?
        public var count: Int
        /// Slots only: the noised number of times the slot got at least one item.
        public var filled: Int?
        /// Slots only: filled / served, clamped to 0...1.
        public var fillRate: Double? {
            guard let filled, count > 0 else { return filled == nil ? nil : 0 }
            return min(1, max(0, Double(filled) / Double(count)))
        }
    }

    /// How one table was noised.
    public struct Noise: Hashable, Sendable {
        public var mechanism = "discrete_laplace"
        public var epsilon: Double
        public var delta: Double
        public var sensitivity: Int
        public var distribution: DiscreteLaplace
        /// The partition-selection threshold; nil for the response counts.
        public var threshold: Int?
        public var scale: Double { distribution.scale }
        public var standardDeviation: Double { distribution.standardDeviation }
        public var halfWidth95: Int { distribution.halfWidth(confidence: 0.95) }
    }

    public var parameters: ReportParameters
    /// False when the noise came from a seeded generator: then the report is reproducible and
    /// guarantees nothing.
    public var isPrivate: Bool
    public var responses: Int
    public var errorRecords: Int
    public var tables: [ReportTable: [Entry]]
    public var noise: [ReportTable: Noise]
    public var responseNoise: Noise

    /// Noises `counts` under `parameters` with coins from `coins`: the response counts get
    /// discrete Laplace noise; each keyed table gets it on every key present, and publishes the
    /// keys whose noised count reaches the threshold (``PartitionSelection``). Keys are visited
    /// in sorted order, so a seeded generator gives the same report.
    public static func publish<Generator: RandomNumberGenerator>(_ counts: ResponseCounts, parameters: ReportParameters,
                                                                 coins: inout ExactBernoulli<Generator>, isPrivate: Bool)
        throws(ReportError) -> PrivateReport {
        try parameters.validate()
        guard counts.keysPerResponse == parameters.keysPerResponse else {
            throw ReportError("the counts were bounded at \(counts.keysPerResponse) keys a response, the parameters say \(parameters.keysPerResponse)")
        }
        let responseDistribution = DiscreteLaplace(sensitivity: parameters.sensitivity(of: nil), epsilon: parameters.epsilonPerTable)
        let responseNoise = Noise(epsilon: parameters.epsilonPerTable, delta: 0, sensitivity: parameters.sensitivity(of: nil),
                                  distribution: responseDistribution, threshold: nil)
        let responses = counts.responses + responseDistribution.sample(&coins)
        let errorRecords = counts.errorRecords + responseDistribution.sample(&coins)
        var tables: [ReportTable: [Entry]] = [:]
        var noise: [ReportTable: Noise] = [:]
        for table in ReportTable.allCases {
            let sensitivity = parameters.sensitivity(of: table)
            let distribution = DiscreteLaplace(sensitivity: sensitivity, epsilon: parameters.epsilonPerTable)
            let selection = PartitionSelection(noise: distribution, delta: parameters.deltaPerTable,
                                               keysPerUnit: parameters.maxContributions * parameters.keysPerResponse,
                                               maxContributions: parameters.maxContributions)
            noise[table] = Noise(epsilon: parameters.epsilonPerTable, delta: parameters.deltaPerTable, sensitivity: sensitivity,
                                 distribution: distribution, threshold: selection.threshold)
            var entries: [Entry] = []
            for (key, count) in counts.counts[table]!.sorted(by: { $0.key < $1.key }) {
                let noised = count + distribution.sample(&coins)
                let filled: Int? = table == .slots ? counts.filled[key, default: 0] + distribution.sample(&coins) : nil
                guard noised >= selection.threshold else { continue }
                entries.append(Entry(key: key, name: table == .categories ? counts.categoryNames[key] : nil, count: noised,
                                     filled: filled))
            }
            tables[table] = entries.sorted { ($0.count, $1.key) > ($1.count, $0.key) }
        }
        return PrivateReport(parameters: parameters, isPrivate: isPrivate, responses: responses, errorRecords: errorRecords,
                             tables: tables, noise: noise, responseNoise: responseNoise)
    }
}
