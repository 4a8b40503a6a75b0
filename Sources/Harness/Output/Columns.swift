import IOWQ

/// A CSV column: its name (unit in the name) and how a row fills it. trials.csv and summary.csv are
/// defined here and nowhere else; docs/csv.md documents every column.
struct Column<Row>: Sendable {
    let name: String
    let value: @Sendable (Row) -> String

    init(_ name: String, _ value: @escaping @Sendable (Row) -> String) {
        self.name = name
        self.value = value
    }
}

extension Array {
    func header<Row>() -> [String] where Element == Column<Row> { map(\.name) }
    func fields<Row>(_ row: Row) -> [String] where Element == Column<Row> { map { $0.value(row) } }
}

private func us(_ nanoseconds: UInt64) -> String { Format.fixed(Double(nanoseconds) / 1000, 1) }

extension Column {
    /// A column per counter that has one, and per derived figure, in the table's order (the derived
    /// sums first): built from `Counter`, so a new counter needs no edit here. `summary` keeps the
    /// ones summary.csv shows. A row without counters writes them empty.
    static func counters(summary: Bool, _ counters: @escaping @Sendable (Row) -> CounterSnapshot?) -> [Column] {
        let derived = Counter.derived.filter { !summary || $0.inSummary }.map { figure in
            Column(figure.column) { row in
                counters(row).map { snapshot in figure.parts.allSatisfy(snapshot.isObserved) ? figure.value(snapshot).map(String.init) ?? "" : "" } ?? ""
            }
        }
        let direct = Counter.allCases.compactMap { counter -> Column? in
            let definition = counter.definition
            guard let name = definition.column, !summary || definition.inSummary else { return nil }
            return Column(name) { row in counters(row).map { $0.isObserved(counter) ? String($0[counter]) : "" } ?? "" }
        }
        return derived + direct
    }
}

/// A row of trials.csv or summary.csv: a configuration and where its items ended.
protocol ConfigurationRow: ConfigurationKeyed, SendableMetatype {
    var items: ItemTally { get }
    /// It measured something: otherwise every column but its identity, trial count, stop reason
    /// and note is empty.
    var measured: Bool { get }
    var observer: Counter.Observers { get }
}

extension ConfigurationRow {
    /// Its strategy's rows can measure `figure` (`Observed`), and this row measured at all.
    func measures(_ figure: Counter.Observers) -> Bool {
        measured && !observer.isDisjoint(with: figure)
    }
}

extension TrialResult { var measured: Bool { didRun } }
extension ConfigurationSummary { var measured: Bool { ran } }

extension TrialResult: ConfigurationRow {}
extension ConfigurationSummary: ConfigurationRow {}

extension Column where Row: ConfigurationRow {
    /// The row's ConfigurationKey, as both files begin: the configuration's four names, then where
    /// it ran (HostIdentity), so runs from guests, shards and other machines can be merged into one
    /// table and still be told apart.
    static var key: [Column] {
        ConfigurationKey.columns.indices.map { index in Column(ConfigurationKey.columns[index]) { $0.key.fields[index] } }
    }

    /// The item tally, in both files.
    static var tally: [Column] {
        [
            Column("items_submitted") { $0.measured ? String($0.items.submitted) : "" },
            Column("items_ok") { $0.measured ? String($0.items.ok) : "" },
            Column("items_cancelled") { $0.measured ? String($0.items.cancelled) : "" },
            Column("items_failed") { $0.measured ? String($0.items.failed) : "" },
            Column("items_hung") { $0.measured ? String($0.items.hung) : "" },
            Column("items_crashed") { $0.measured ? String($0.items.crashed) : "" },
            Column("items_completed_twice") { $0.measured ? String($0.items.completedTwice) : "" },
        ]
    }

    /// Items per second: empty where no item completed ok, as a rate of nothing is no measurement.
    static func throughput(_ rate: @escaping @Sendable (Row) -> Double) -> Column {
        Column("throughput_items_per_s") { $0.measured && $0.items.ok > 0 ? Format.fixed(rate($0), 1) : "" }
    }

    /// A count that only `observers`' rows measure.
    static func count(_ name: String, by observers: Counter.Observers = .all, _ value: @escaping @Sendable (Row) -> Int) -> Column {
        Column(name) { $0.measures(observers) ? String(value($0)) : "" }
    }

    /// A yes/no that only `observers`' rows measure.
    static func flag(_ name: String, by observers: Counter.Observers = .all, _ value: @escaping @Sendable (Row) -> Bool) -> Column {
        Column(name) { $0.measures(observers) ? (value($0) ? "1" : "0") : "" }
    }
}

/// The columns that name a row's configuration and where it ran (ConfigurationKey): two rows of one
/// merged run may not share them (`bench merge`).
enum RowIdentity {
    static let columns: [String] = Column<ConfigurationSummary>.key.header()
}

enum TrialColumns {
    typealias C = Column<TrialResult>
    static let all: [C] = identity + outcomes + creation

    private static let identity: [C] = C.key + [
        Column("trial") { String($0.trial) },
        Column("seed") { String($0.seed) },
    ]
    private static let outcomes: [C] = C.tally + [
        C.flag("hung") { $0.hung },
        C.flag("stuck") { $0.stuck },
        C.flag("crashed") { $0.crashed },
        Column("crash_signal") { $0.crashName ?? "" },
        Column("crash_message") { $0.crashMessage ?? "" },
        Column("hang_kind") { $0.hangKind?.rawValue ?? "" },
        C.flag("ended_early") { $0.endedEarly },
        Column("latency_p50_us") { Format.optional($0.histogram.microseconds(atPercentile: 50), 1) },
        Column("latency_p99_us") { Format.optional($0.histogram.microseconds(atPercentile: 99), 1) },
        Column("latency_max_us") { Format.optional($0.histogram.maxMicroseconds, 1) },
        C.throughput { $0.throughput },
    ]
    private static let creation: [C] = C.counters(summary: false) { $0.counters } + [
        Column("first_worker_us") { $0.counters.map { $0[.firstWorkerNanoseconds] == 0 ? "" : us(UInt64($0[.firstWorkerNanoseconds])) } ?? "" },
        Column("work_window_us") { $0.workWindowNanoseconds.map(us) ?? "" },
        Column("schedule_acted") { $0.scheduleActed.map { $0 ? "1" : "0" } ?? "" },
        Column("exit_us") { $0.exitNanoseconds.map(us) ?? "" },
        C.flag("exit_hung", by: Observed.exit) { $0.exitHung },
        C.flag("setup_failed") { $0.setupFailed },
        C.flag("killed") { $0.killed },
        Column("leaked_bytes") { $0.leakedBytes.map(String.init) ?? "" },
        C.count("order_violations") { $0.orderViolations },
        Column("cpu_user_s") { Format.optional($0.cpuUserSeconds, 4) },
        Column("cpu_sys_s") { Format.optional($0.cpuSystemSeconds, 4) },
        C.count("wait_eintr", by: Observed.waitInterruptions) { $0.waitInterruptions },
        Column("sa_restart") { $0.saRestart.map { $0 ? "1" : "0" } ?? "" },
        Column("note") { $0.note },
    ]
}

enum SummaryColumns {
    typealias C = Column<ConfigurationSummary>
    static let all: [C] = identity + outcomes + latency + creation + extras

    private static let identity: [C] = C.key
    private static let outcomes: [C] = [
        Column("trials") { String($0.trials) },
        Column("trials_schedule_idle") { String($0.scheduleIdleTrials) },
        Column("stop_reason") { $0.stopReason.rawValue },
    ] + C.tally + [
        Column("hang_rate") { $0.ran ? Format.fixed($0.hangRate, 4) : "" },
        Column("hang_rate_ci_low") { $0.ran ? Format.fixed($0.hangInterval.low, 4) : "" },
        Column("hang_rate_ci_high") { $0.ran ? Format.fixed($0.hangInterval.high, 4) : "" },
        Column("stuck_rate") { $0.ran ? Format.fixed($0.stuckRate, 4) : "" },
        Column("stuck_rate_ci_low") { $0.ran ? Format.fixed($0.stuckInterval.low, 4) : "" },
        Column("stuck_rate_ci_high") { $0.ran ? Format.fixed($0.stuckInterval.high, 4) : "" },
        Column("crashed_trials") { $0.ran ? String($0.crashedTrials) : "" },
        Column("crash_rate") { $0.ran ? Format.fixed($0.crashRate, 4) : "" },
        Column("crash_rate_ci_low") { $0.ran ? Format.fixed($0.crashInterval.low, 4) : "" },
        Column("crash_rate_ci_high") { $0.ran ? Format.fixed($0.crashInterval.high, 4) : "" },
        Column("crash_signals") { $0.crashSignals },
    ] + HangKind.allCases.map { kind in
        Column(kind.summaryColumn) { $0.ran ? String($0.hangKinds[kind, default: 0]) : "" }
    }
    private static let latency: [C] = [
        Column("latency_p50_us") { Format.optional($0.latency.microseconds(atPercentile: 50), 1) },
        Column("latency_p90_us") { Format.optional($0.latency.microseconds(atPercentile: 90), 1) },
        Column("latency_p99_us") { Format.optional($0.latency.microseconds(atPercentile: 99), 1) },
        Column("latency_p999_us") { Format.optional($0.latency.microseconds(atPercentile: 99.9), 1) },
        Column("latency_max_us") { Format.optional($0.latency.maxMicroseconds, 1) },
        C.throughput { $0.throughput },
    ]
    private static let creation: [C] = C.counters(summary: true) { $0.ran ? $0.counters : nil } + [
        Column("signals_delivered_per_s") { Format.optional($0.signalsDeliveredPerSecond, 1) },
        C.count("exit_hangs", by: Observed.exit) { $0.exitHangs },
        C.count("trials_ended_early") { $0.endedEarlyTrials },
        Column("leaked_bytes") { $0.ran ? $0.leakedBytes.map(String.init) ?? "" : "" },
        Column("cpu_user_s") { Format.optional($0.cpuUser, 4) },
        Column("cpu_sys_s") { Format.optional($0.cpuSystem, 4) },
    ]
    private static let extras: [C] = [
        Column("first_worker_p10_us") { Format.optional($0.firstWorker.microseconds(atPercentile: 10), 1) },
        Column("first_worker_p50_us") { Format.optional($0.firstWorker.microseconds(atPercentile: 50), 1) },
        Column("first_worker_p90_us") { Format.optional($0.firstWorker.microseconds(atPercentile: 90), 1) },
        C.count("setup_failures") { $0.setupFailures },
        C.count("killed_trials") { $0.killedTrials },
        C.count("order_violations") { $0.orderViolations },
        C.count("worker_record_bytes", by: Observed.workerFootprint) { $0.workerRecordBytes },
        C.count("worker_stack_bytes", by: Observed.workerFootprint) { $0.workerStackBytes },
        C.count("wait_eintr", by: Observed.waitInterruptions) { $0.waitInterruptions },
        Column("note") { $0.displayNote },
    ]
}

enum CalibrationColumns {
    typealias C = Column<CalibrationResult>
    static let all: [C] = [
        Column("calibration") { $0.name },
        Column("samples") { String($0.latency.count) },
        Column("p50_us") { Format.optional($0.latency.microseconds(atPercentile: 50), 1) },
        Column("p90_us") { Format.optional($0.latency.microseconds(atPercentile: 90), 1) },
        Column("p99_us") { Format.optional($0.latency.microseconds(atPercentile: 99), 1) },
        Column("max_us") { Format.optional($0.latency.maxMicroseconds, 1) },
    ]
}
