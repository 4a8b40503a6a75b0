import IOWQ

/// The table printed at the end of a run: per configuration, the stuck rate (an item or the exit
/// hung) with its interval, the outcome shares beside it, why the stuck trials were stuck, latency, throughput and threads. A row
/// that ran no trial says so instead of showing rates.
public enum SummaryTable {
    /// One row as printed. `bench merge` makes them from summary.csv records too, with where the row
    /// ran in a kernel column.
    struct Line {
        var configuration: [String]
        /// The kernel release (and "emulated") the row ran on; shown when a table holds more than one.
        var kernel = ""
        /// "not run" or "no signal sent" for a row that measured nothing; nil for one that did.
        var nothingMeasured: String?
        var stuck = ""
        var outcomes = ""
        var whyStuck = ""
        var p50 = ""
        var p99 = ""
        var itemsPerSecond = ""
        var threads = ""

        init(_ row: ConfigurationSummary) {
            configuration = [row.strategy, row.scenario, row.signals, row.faults]
            guard row.ran else {
                // nothing measured: no rate to show, only why
                nothingMeasured = row.scheduleDidNotAct ? "no signal sent" : "not run"
                return
            }
            let interval = row.stuckInterval
            stuck = "\(Format.fixed(row.stuckRate, 2)) [\(Format.fixed(interval.low, 2)), \(Format.fixed(interval.high, 2))]"
            outcomes = row.outcomeShares
            whyStuck = [row.hangKindCounts, row.crashSignals].filter { !$0.isEmpty }.joined(separator: " ")
            p50 = Format.optional(row.latency.microseconds(atPercentile: 50), 1)
            p99 = Format.optional(row.latency.microseconds(atPercentile: 99), 1)
            itemsPerSecond = Format.fixed(row.throughput, 0)
            let threadsSeen = [Counter.threadsCreatedAtSetup, .threadsCreatedOnDemand].allSatisfy(row.counters.isObserved)
            threads = threadsSeen ? String(row.counters.threadsCreated) : ""
        }
    }

    public static func render(_ rows: [ConfigurationSummary]) -> String {
        render(rows.map(Line.init), kernelColumn: false)
    }

    static func render(_ lines: [Line], kernelColumn: Bool) -> String {
        let kernel = kernelColumn ? ["kernel"] : []
        let header = ["strategy", "scenario", "signals", "faults"] + kernel + ["stuck [95% CI]", "outcomes", "why stuck (or crashed)", "p50 us", "p99 us", "items/s", "threads"]
        let table = lines.map { line in
            let measured = line.nothingMeasured.map { [$0, "", "", "", "", "", ""] }
                ?? [line.stuck, line.outcomes, line.whyStuck, line.p50, line.p99, line.itemsPerSecond, line.threads]
            return line.configuration + (kernelColumn ? [line.kernel] : []) + measured
        }
        return TextTable.render(header: header, rows: table, rightAligned: Set((header.count - 4)..<header.count), underline: true)
    }
}
