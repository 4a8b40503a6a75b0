import IOWQ

extension SummaryTable.Line {
    /// A summary.csv row as the table prints it: the counts give the stuck rate, its interval, the
    /// outcomes and why (computed as for a live row), the measured columns are taken as written.
    init(record: [String: String]) {
        func count(_ column: String) -> Int { Int(record[column] ?? "") ?? 0 }
        var summary = ConfigurationSummary(strategy: record["strategy"] ?? "", scenario: record["scenario"] ?? "",
                                           signals: record["signals"] ?? "", faults: record["faults"] ?? "")
        summary.trials = count("trials")
        summary.scheduleIdleTrials = count("trials_schedule_idle")
        let ran = !(record["stuck_rate"] ?? "").isEmpty
        summary.trialsRun = ran ? max(summary.trials, 1) : 0
        for kind in HangKind.allCases where count(kind.summaryColumn) > 0 { summary.hangKinds[kind] = count(kind.summaryColumn) }
        summary.stuckTrials = summary.hangKinds.values.reduce(0, +)
        summary.items.submitted = count("items_submitted")
        summary.items.ok = count("items_ok")
        summary.items.cancelled = count("items_cancelled")
        summary.items.failed = count("items_failed")
        summary.items.hung = count("items_hung")
        summary.items.crashed = count("items_crashed")
        summary.crashedTrials = count("crashed_trials")
        // "SIGILL 5 signal 40 1": a name (one or two words) then its count
        var words = (record["crash_signals"] ?? "").split(separator: " ").map(String.init)
        while words.count >= 2 {
            let nameWords = words.count >= 3 && Int(words[1]) != nil && Int(words[2]) != nil ? 2 : 1
            summary.crashSignalCounts[words.prefix(nameWords).joined(separator: " "), default: 0] += Int(words[nameWords]) ?? 0
            words.removeFirst(nameWords + 1)
        }
        summary.exitHangs = count("exit_hangs")
        summary.note = record["note"] ?? ""
        summary.observer = Observed.observer(ofStrategy: summary.strategy)
        self.init(summary)
        kernel = (record["kernel_release"] ?? "") + (record["emulated"] == "1" ? " (emulated)" : "")
        guard ran else { return }
        p50 = record["latency_p50_us"] ?? ""
        if summary.items.submitted > summary.trials {
            itemsPerSecond = Double(record["throughput_items_per_s"] ?? "").map { Format.fixed($0, 0) } ?? ""
        }
        threadsPerTrial = Double(record["threads_created"] ?? "").map { Format.fixed($0 / Double(max(1, summary.trials)), 1) } ?? ""
    }
}
