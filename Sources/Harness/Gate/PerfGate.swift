import IOWQ

/// The CI perf gate: a small fixed sweep, checked against invariants that must hold exactly and
/// against a committed baseline for performance, as ratios measured within one run (to the
/// calibration rows and to eager), so a noisy machine moves both sides of every ratio together.
public enum PerfGate {
    /// Every tolerance of the gate, in one place. A ratio may move this far from the baseline's
    /// before it counts; beyond it in the good direction it counts as an improvement.
    public enum Tolerance {
        /// Latency ratios (p50) may grow to this multiple of the baseline's.
        public static let latencyP50 = 3.0
        /// Tail latency ratios (p99) may grow to this multiple (this VM moves its tail by ticks).
        public static let latencyP99 = 6.0
        /// Throughput ratios may fall to the baseline's divided by this.
        public static let throughput = 2.0
        /// p99 and throughput are judged only on rows with at least this many ok items: with fewer
        /// (first-worker's 5), one scheduler tick decides them, and they would gate on noise.
        public static let itemsForTailAndThroughput = 300
    }

    static let seedLineage = ["retry-via-workqueue"] + StrategyCatalog.lineage.map(\.name)

    /// The gate's sweep: the classic strategies on the scenarios that measure speed, and every
    /// retry strategy under the seed's signal.
    public static func configurations() throws(ConfigurationError) -> [ConfigurationSpec] {
        var specs: [ConfigurationSpec] = []
        for strategy in StrategyCatalog.classic.map(\.name) {
            for (scenario, signals) in [("first-worker", "none"), ("first-worker", "one-shot"), ("burst:64", "none"), ("steady:2000", "none")] {
                specs.append(try ConfigurationSpec(strategy: strategy, scenario: scenario, signals: signals, faults: "none"))
            }
        }
        for strategy in StrategyCatalog.lineage.map(\.name) {
            specs.append(try ConfigurationSpec(strategy: strategy, scenario: "first-worker", signals: "one-shot", faults: "none"))
        }
        return specs
    }

    public enum Status: String, Sendable {
        case pass, improved, new
        case failed = "FAILED"
    }

    public struct Check: Sendable {
        public var name: String
        public var value: String
        public var baseline: String
        public var tolerance: String
        public var status: Status
    }

    /// A summary.csv as rows keyed by configuration.
    public struct Table: Sendable {
        var rows: [String: [String: String]] = [:]

        public init(csv text: String, source: String) throws(GateError) {
            guard let (header, records) = CSVReader.records(text) else { throw .malformed(source, "it has no header row") }
            let required = ["strategy", "scenario", "signals", "faults", "items_submitted", "items_ok", "items_cancelled",
                            "items_failed", "items_hung", "items_completed_twice", "hang_rate", "latency_p50_us",
                            "latency_p99_us", "throughput_items_per_s"]
            let missing = required.filter { !header.contains($0) }
            guard missing.isEmpty else { throw .malformed(source, "missing columns: \(missing.joined(separator: ", "))") }
            for record in records {
                rows[Table.key(record["strategy"]!, record["scenario"]!, record["signals"]!, record["faults"]!)] = record
            }
            guard rows["calibration futex-handoff none none"] != nil, rows["calibration thread-create none none"] != nil else {
                throw .malformed(source, "it has no calibration rows")
            }
        }

        static func key(_ parts: String...) -> String { parts.joined(separator: " ") }

        func number(_ key: String, _ column: String) -> Double? {
            rows[key]?[column].flatMap(Double.init)
        }

        var futexP50: Double? { number("calibration futex-handoff none none", "latency_p50_us") }
        var threadCreateP50: Double? { number("calibration thread-create none none", "latency_p50_us") }
    }

    /// Every check of `current` against `baseline`.
    public static func evaluate(_ current: Table, baseline: Table) -> [Check] {
        var checks: [Check] = []
        for (key, row) in current.rows.sorted(by: { $0.key < $1.key }) where row["strategy"] != "calibration" {
            checks += invariants(key, row)
        }
        for (key, row) in current.rows.sorted(by: { $0.key < $1.key }) where row["strategy"] != "calibration" {
            checks += performance(key, row, current, baseline)
        }
        return checks
    }

    static func invariants(_ key: String, _ row: [String: String]) -> [Check] {
        func int(_ column: String) -> Int { Int(row[column] ?? "") ?? -1 }
        let strategy = row["strategy"]!
        var checks: [Check] = []
        let sum = int("items_ok") + int("items_cancelled") + int("items_failed") + int("items_hung")
        checks.append(Check(name: "\(key): ok+cancelled+failed+hung == submitted", value: String(sum),
                            baseline: String(int("items_submitted")), tolerance: "exact",
                            status: sum == int("items_submitted") ? .pass : .failed))
        if strategy != "retry-via-workqueue" {
            checks.append(Check(name: "\(key): completed twice", value: String(int("items_completed_twice")), baseline: "0",
                                tolerance: "exact", status: int("items_completed_twice") == 0 ? .pass : .failed))
        }
        let hangRate = Double(row["hang_rate"] ?? "") ?? -1
        let signals = row["signals"]!
        if strategy == "eager" || (seedLineage.contains(strategy) && signals == "one-shot") {
            checks.append(Check(name: "\(key): must not hang", value: row["hang_rate"] ?? "", baseline: "0",
                                tolerance: "exact", status: hangRate == 0 ? .pass : .failed))
        }
        if strategy == "pre-patch" && signals == "one-shot" {
            checks.append(Check(name: "\(key): must hang", value: row["hang_rate"] ?? "", baseline: "> 0",
                                tolerance: "exact", status: hangRate > 0 ? .pass : .failed))
        }
        return checks
    }

    /// Latency relative to the run's own futex handoff (or, for first-worker, its pthread_create),
    /// and throughput relative to eager on the same scenario.
    static func performance(_ key: String, _ row: [String: String], _ current: Table, _ baseline: Table) -> [Check] {
        guard row["signals"] == "none" else { return [] }
        let scenario = row["scenario"]!
        var checks: [Check] = []
        func calibration(_ table: Table) -> Double? { scenario == "first-worker" ? table.threadCreateP50 : table.futexP50 }
        let enoughItems = (current.number(key, "items_ok") ?? 0) >= Double(Tolerance.itemsForTailAndThroughput)
        var latencyChecks = [("latency_p50_us", Tolerance.latencyP50)]
        if enoughItems { latencyChecks.append(("latency_p99_us", Tolerance.latencyP99)) }
        for (column, tolerance) in latencyChecks {
            guard let value = current.number(key, column), let unit = calibration(current), unit > 0 else { continue }
            let ratio = value / unit
            let name = "\(key): \(column) / \(scenario == "first-worker" ? "thread-create" : "futex-handoff")"
            guard let base = baseline.number(key, column), let baseUnit = calibration(baseline), baseUnit > 0 else {
                checks.append(Check(name: name, value: fmt(ratio), baseline: "-", tolerance: "x\(fmt(tolerance))", status: .new))
                continue
            }
            let baseRatio = base / baseUnit
            let status: Status = ratio > baseRatio * tolerance ? .failed : ratio < baseRatio / tolerance ? .improved : .pass
            checks.append(Check(name: name, value: fmt(ratio), baseline: fmt(baseRatio), tolerance: "x\(fmt(tolerance))", status: status))
        }
        let eagerKey = Table.key("eager", scenario, "none", row["faults"]!)
        if enoughItems, row["strategy"] != "eager", let value = current.number(key, "throughput_items_per_s"),
           let eager = current.number(eagerKey, "throughput_items_per_s"), eager > 0, value > 0 {
            let ratio = value / eager
            let name = "\(key): throughput / eager"
            if let base = baseline.number(key, "throughput_items_per_s"), let baseEager = baseline.number(eagerKey, "throughput_items_per_s"), baseEager > 0 {
                let baseRatio = base / baseEager
                let t = Tolerance.throughput
                let status: Status = ratio < baseRatio / t ? .failed : ratio > baseRatio * t ? .improved : .pass
                checks.append(Check(name: name, value: fmt(ratio), baseline: fmt(baseRatio), tolerance: "/\(fmt(t))", status: status))
            } else {
                checks.append(Check(name: name, value: fmt(ratio), baseline: "-", tolerance: "/\(fmt(Tolerance.throughput))", status: .new))
            }
        }
        return checks
    }

    static func fmt(_ value: Double) -> String { Format.fixed(value, value < 10 ? 2 : 1) }

    /// The checks as a table for the terminal.
    public static func render(_ checks: [Check]) -> String {
        let header = ["check", "value", "baseline", "tolerance", "status"]
        return TextTable.render(header: header, rows: checks.map { [$0.name, $0.value, $0.baseline, $0.tolerance, $0.status.rawValue] })
    }
}

/// Why the gate could not judge.
public enum GateError: Error, CustomStringConvertible {
    case malformed(String, String)
    case missing(String)

    public var description: String {
        switch self {
        case .malformed(let path, let reason): "malformed baseline \(path): \(reason)"
        case .missing(let path): "no baseline at \(path) (create one with: swift run -c release bench gate --refresh-baseline)"
        }
    }
}
