import IOWQ

/// fidelity.csv and the table the command prints, from the same rows.
public enum FidelityTable {
    typealias C = Column<Fidelity.Row>

    private static func rate(_ row: ConfigurationSummary?) -> String {
        guard let row, row.ran else { return "" }
        let interval = row.stuckInterval
        return "\(Format.fixed(row.stuckRate, 2)) [\(Format.fixed(interval.low, 2)), \(Format.fixed(interval.high, 2))]"
    }

    private static func side(_ prefix: String, _ pick: @escaping @Sendable (Fidelity.Row) -> ConfigurationSummary?) -> [C] {
        [
            Column("\(prefix)") { pick($0)?.strategy ?? "" },
            Column("\(prefix)_trials") { pick($0).map { String($0.trials) } ?? "" },
            Column("\(prefix)_stuck_rate") { pick($0).flatMap { $0.ran ? Format.fixed($0.stuckRate, 4) : nil } ?? "" },
            Column("\(prefix)_stuck_ci_low") { pick($0).flatMap { $0.ran ? Format.fixed($0.stuckInterval.low, 4) : nil } ?? "" },
            Column("\(prefix)_stuck_ci_high") { pick($0).flatMap { $0.ran ? Format.fixed($0.stuckInterval.high, 4) : nil } ?? "" },
            Column("\(prefix)_outcomes") { pick($0)?.outcomeShares ?? "" },
            Column("\(prefix)_hang_kinds") { pick($0)?.hangKindCounts ?? "" },
            Column("\(prefix)_signals_delivered_per_s") { Format.optional(pick($0)?.signalsDeliveredPerSecond, 1) },
        ]
    }

    /// Creation retries per trial; empty where the row cannot see them (a kernel without tracefs).
    private static func retriesPerTrial(_ row: ConfigurationSummary?) -> String {
        guard let row, row.ran, row.trials > 0, row.counters.isObserved(.createRetries) else { return "" }
        return Format.fixed(Double(row.counters[.createRetries]) / Double(row.trials), 1)
    }

    /// The per-attempt failure rate both rows can be given: failures that were retried per attempt
    /// seen, `create_retries / (threads_created + create_retries)`. The kernel's trace sees a
    /// creation and a retry but not a give-up (docs/kernel-anchor.md), so give-ups are left out on
    /// both sides alike; nil where retries or creations are not observed, or none happened.
    static func attemptFailureRate(_ counters: CounterSnapshot) -> Double? {
        guard counters.isObserved(.createRetries), counters.isObserved(.threadsCreatedOnDemand) else { return nil }
        let attempts = counters.threadsCreated + counters[.createRetries]
        return attempts == 0 ? nil : Double(counters[.createRetries]) / Double(attempts)
    }

    static let columns: [C] = [
        Column("scenario") { $0.scenario },
        Column("signals") { $0.signals },
        Column("sa_restart") { $0.saRestart },
    ] + side("kernel") { $0.kernel } + side("model") { $0.model } + [
        Column("model_retries_per_trial") { retriesPerTrial($0.model) },
        Column("kernel_retries_per_trial") { retriesPerTrial($0.kernel) },
        Column("kernel_attempt_failure_rate") { Format.optional($0.kernel.ran ? attemptFailureRate($0.kernel.counters) : nil, 4) },
        Column("model_attempt_failure_rate") { Format.optional($0.model.flatMap { $0.ran ? attemptFailureRate($0.counters) : nil }, 4) },
        Column("verdict") { $0.verdict.map { $0.agrees ? "agree" : "disagree" } ?? "" },
        Column("reason") { $0.verdict?.reason ?? "" },
    ] + side("next") { $0.next }

    public static func csv(_ rows: [Fidelity.Row]) -> String {
        ([CSVFile.line(columns.header())] + rows.map { CSVFile.line(columns.fields($0)) }).joined()
    }

    public static func render(_ rows: [Fidelity.Row]) -> String {
        let model = rows.first?.model?.strategy ?? "model"
        let next = rows.first?.next?.strategy ?? "next"
        let header = ["scenario", "signals", "SA_RESTART", "kernel stuck [95% CI]", "kernel outcomes", "kernel why",
                      "\(model) stuck [95% CI]", "\(model) why", "verdict", "\(next) stuck"]
        let table = rows.map { row in
            [row.scenario, row.signals, row.saRestart, rate(row.kernel), row.kernel.outcomeShares, row.kernel.hangKindCounts,
             rate(row.model), row.model?.hangKindCounts ?? "",
             row.verdict.map { $0.agrees ? "agree" : "disagree: \($0.reason)" } ?? "", rate(row.next)]
        }
        return TextTable.render(header: header, rows: table, rightAligned: [], underline: true)
    }
}
