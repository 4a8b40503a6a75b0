import IOWQ

/// The table printed at the end of a run: per configuration, the hang rate with its interval,
/// latency, throughput and threads. A row that ran no trial says so instead of showing rates.
public enum SummaryTable {
    public static func render(_ rows: [ConfigurationSummary]) -> String {
        let header = ["strategy", "scenario", "signals", "faults", "hang rate [95% CI]", "p50 us", "p99 us", "items/s", "threads"]
        var table: [[String]] = []
        for row in rows {
            guard row.ran else {
                // nothing measured: no rate to show, only why
                table.append([row.strategy, row.scenario, row.signals, row.faults, "not run", "", "", "", ""])
                continue
            }
            let interval = row.hangInterval
            let hang = "\(Format.fixed(row.hangRate, 2)) [\(Format.fixed(interval.low, 2)), \(Format.fixed(interval.high, 2))]"
            let threads = [Counter.threadsCreatedAtSetup, .threadsCreatedOnDemand].allSatisfy(row.counters.isObserved)
            table.append([
                row.strategy, row.scenario, row.signals, row.faults, hang,
                Format.optional(row.latency.microseconds(atPercentile: 50), 1),
                Format.optional(row.latency.microseconds(atPercentile: 99), 1),
                Format.fixed(row.throughput, 0),
                threads ? String(row.counters.threadsCreated) : "",
            ])
        }
        return TextTable.render(header: header, rows: table, rightAligned: Set(5..<header.count), underline: true)
    }
}
