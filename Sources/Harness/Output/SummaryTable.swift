import IOWQ

/// The table printed at the end of a run: per configuration, the stuck rate (an item or the exit
/// hung) with its interval, the outcome shares beside it, why the stuck trials were stuck, latency, throughput and threads. A row
/// that ran no trial says so instead of showing rates.
public enum SummaryTable {
    public static func render(_ rows: [ConfigurationSummary]) -> String {
        let header = ["strategy", "scenario", "signals", "faults", "stuck [95% CI]", "outcomes", "why stuck (or crashed)", "p50 us", "p99 us", "items/s", "threads"]
        var table: [[String]] = []
        for row in rows {
            guard row.ran else {
                // nothing measured: no rate to show, only why
                table.append([row.strategy, row.scenario, row.signals, row.faults, row.scheduleDidNotAct ? "no signal sent" : "not run", "", "", "", "", "", ""])
                continue
            }
            let interval = row.stuckInterval
            let stuck = "\(Format.fixed(row.stuckRate, 2)) [\(Format.fixed(interval.low, 2)), \(Format.fixed(interval.high, 2))]"
            let threads = [Counter.threadsCreatedAtSetup, .threadsCreatedOnDemand].allSatisfy(row.counters.isObserved)
            table.append([
                row.strategy, row.scenario, row.signals, row.faults, stuck, row.outcomeShares,
                [row.hangKindCounts, row.crashSignals].filter { !$0.isEmpty }.joined(separator: " "),
                Format.optional(row.latency.microseconds(atPercentile: 50), 1),
                Format.optional(row.latency.microseconds(atPercentile: 99), 1),
                Format.fixed(row.throughput, 0),
                threads ? String(row.counters.threadsCreated) : "",
            ])
        }
        return TextTable.render(header: header, rows: table, rightAligned: Set(7..<header.count), underline: true)
    }
}
