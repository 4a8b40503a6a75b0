import IOWQ

/// The table printed at the end of a run: per configuration, the trials it rests on, the stuck rate
/// (an item or the exit hung) with its interval, the outcome shares (crashed among them), why the
/// stuck trials were stuck or how they crashed, median latency, throughput and threads per trial
/// (summary.csv has the rest). A row that measured nothing says so, with its reason as a footnote;
/// a closing line gives the totals. Rows come under their strategy's name, and the table fits 120
/// columns: the text columns wrap.
public enum SummaryTable {
    /// One row as printed. `bench merge` makes them from summary.csv records too, with where the row
    /// ran in a kernel column.
    struct Line {
        var configuration: [String]
        /// The kernel release (and "emulated") the row ran on; shown when a table holds more than one.
        var kernel = ""
        /// "not run" or "no signal sent" for a row that measured nothing; nil for one that did.
        var nothingMeasured: String?
        /// Why it measured nothing (its note), for the footnote.
        var reason = ""
        /// Trials counted, and "/all" when a timed schedule left some out: "5", "4/5".
        var trials = ""
        var stuck = ""
        var outcomes = ""
        var whyStuck = ""
        var p50 = ""
        var itemsPerSecond = ""
        var threadsPerTrial = ""
        /// For the closing line.
        var trialCount = 0
        var seconds = 0.0

        init(_ row: ConfigurationSummary) {
            configuration = [row.strategy, row.scenario, row.signals, row.faults]
            trialCount = row.trials + row.scheduleIdleTrials
            seconds = row.wallSeconds
            trials = row.scheduleIdleTrials > 0 ? "\(row.trials)/\(trialCount)" : String(row.trials)
            guard row.ran else {
                // nothing measured: no rate to show, only why
                nothingMeasured = row.scheduleDidNotAct ? "no signal sent" : "not run"
                reason = row.displayNote
                return
            }
            let interval = row.stuckInterval
            stuck = "\(Format.fixed(row.stuckRate, 2)) [\(Format.fixed(interval.low, 2)), \(Format.fixed(interval.high, 2))]"
            outcomes = row.outcomeShares
            whyStuck = [row.hangKindCounts, row.crashSignals].filter { !$0.isEmpty }.joined(separator: " ")
            p50 = Format.optional(row.latency.microseconds(atPercentile: 50), 1)
            // one item a trial: its rate is 1/latency, which the latency already says
            if row.items.ok > 0 && row.items.submitted > row.trials { itemsPerSecond = Format.fixed(row.throughput, 0) }
            let threadsSeen = [Counter.threadsCreatedAtSetup, .threadsCreatedOnDemand].allSatisfy(row.counters.isObserved)
            if threadsSeen && row.trials > 0 { threadsPerTrial = Format.fixed(Double(row.counters.threadsCreated) / Double(row.trials), 1) }
        }
    }

    /// The columns, in order; the configuration's, the outcomes and why wrap.
    static let header = ["scenario", "signals", "faults", "n", "stuck [95% CI]", "outcomes",
                         "why stuck", "p50 us", "items/s", "threads per trial"]
    static let width = 120

    public static func render(_ rows: [ConfigurationSummary]) -> String {
        render(rows.map(Line.init), kernelColumn: false)
    }

    static func render(_ lines: [Line], kernelColumn: Bool, markdown: Bool = false) -> String {
        let kernel = kernelColumn ? ["kernel"] : []
        let header = Array(Self.header.prefix(3)) + kernel + Array(Self.header.dropFirst(3))
        var reasons: [String] = []
        var sections: [Int: String] = [:]
        for (index, line) in lines.enumerated() where index == 0 || lines[index - 1].configuration[0] != line.configuration[0] {
            sections[index] = line.configuration[0]
        }
        let table = lines.map { line in
            var measured = [line.trials, line.stuck, line.outcomes, line.whyStuck, line.p50, line.itemsPerSecond,
                            line.threadsPerTrial]
            if let nothing = line.nothingMeasured {
                var mark = nothing
                if !line.reason.isEmpty {
                    if !reasons.contains(line.reason) { reasons.append(line.reason) }
                    mark += " [\(reasons.firstIndex(of: line.reason)! + 1)]"
                }
                measured = [line.trials, mark] + Array(repeating: "", count: measured.count - 2)
            }
            return Array(line.configuration.dropFirst()) + (kernelColumn ? [line.kernel] : []) + measured
        }
        let first = kernel.count + 3
        let numbers = Set([first]).union((header.count - 3)..<header.count)
        var text = markdown
            ? Markdown.table(header: ["strategy"] + header, rows: zip(lines, table).map { [$0.configuration[0]] + $1 }, rightAligned: numbers.map { $0 + 1 })
            : TextTable.render(header: header, rows: table, rightAligned: numbers, underline: true, maxWidth: width,
                               wrappable: Set(0..<3).union([first + 2, first + 3]), hyphenated: Set(0..<3), sections: sections)
        if !reasons.isEmpty {
            text += "\n\n" + reasons.enumerated().map { index, reason in
                let mark = "[\(index + 1)] "
                return TextTable.wrap(reason, width: width - mark.count).enumerated()
                    .map { ($0.offset == 0 ? mark : String(repeating: " ", count: mark.count)) + $0.element }.joined(separator: "\n")
            }.joined(separator: "\n")
        }
        return text + "\n\n" + closing(lines)
    }

    /// "12 configurations (2 not run), 48 trials, 1m05s": the totals, with the sweep's time when
    /// the rows carry it (a merged run's do not).
    static func closing(_ lines: [Line]) -> String {
        let notRun = lines.filter { $0.nothingMeasured != nil }.count
        let trials = lines.reduce(0) { $0 + $1.trialCount }
        let seconds = lines.reduce(0) { $0 + $1.seconds }
        var text = Format.count(lines.count, "configuration")
        if notRun > 0 { text += " (\(notRun) measured nothing)" }
        text += ", " + Format.count(trials, "trial")
        if seconds > 0 { text += ", \(Format.human(seconds: seconds))" }
        return text
    }
}

/// A GitHub-flavoured Markdown table: `bench run --format markdown`.
enum Markdown {
    static func table(header: [String], rows: [[String]], rightAligned: [Int]) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { String($0.flatMap { $0 == "|" ? ["\\", "|"] : [$0] }) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + header.indices.map { rightAligned.contains($0) ? "---:|" : "---|" }.joined()
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
