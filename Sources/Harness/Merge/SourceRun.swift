import Foundation

/// A run folder read back for `bench merge`: its rows (the typed records of summary.jsonl and
/// trials.jsonl when it has them, else its CSV files as written, header and fields, so they are
/// carried unchanged), its meta.json, and where its histograms are.
struct SourceRun {
    /// The folder as given on the command line.
    let path: String
    let meta: [String: Any]
    private(set) var rows: Rows
    let calibration: CSVText?
    /// Trial rows left out: those of the configuration an incomplete run was cut off in.
    private(set) var unfinishedTrialRows = 0

    /// A run's summary and trial rows: typed records, or CSV text (a folder of a build before the
    /// records, or one whose records this build cannot read).
    enum Rows {
        case records(summaries: [ConfigurationSummary], trials: [TrialResult])
        case text(summary: CSVText, trials: CSVText)
    }

    /// A CSV file's header and rows of fields.
    struct CSVText {
        let file: String
        let header: [String]
        private(set) var rows: [[String]]

        init(file: String) throws(MergeError) {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw .malformed(file, "cannot be read") }
            let all = CSVReader.rows(text)
            guard let header = all.first, !header.isEmpty else { throw .malformed(file, "it has no header row") }
            for (number, row) in all.dropFirst().enumerated() where row.count != header.count {
                throw .malformed(file, "row \(number + 1) has \(row.count) fields, the header \(header.count)")
            }
            self.file = file
            self.header = header
            rows = Array(all.dropFirst())
        }

        /// The same file with only the rows `keep` says.
        func filter<E: Error>(_ keep: ([String]) throws(E) -> Bool) throws(E) -> CSVText {
            var copy = self
            copy.rows = []
            for row in rows where try keep(row) { copy.rows.append(row) }
            return copy
        }

        /// The value of `column` in every row (the column must be in the header).
        func values(_ column: String) -> [String] {
            guard let index = header.firstIndex(of: column) else { return rows.map { _ in "" } }
            return rows.map { $0[index] }
        }

        /// Rows as name -> value.
        var records: [[String: String]] { rows.map { Dictionary(zip(header, $0), uniquingKeysWith: { a, _ in a }) } }
    }

    /// Reads the folder: its typed records when `typed` and it has records this build reads, else
    /// its CSV files.
    init(path: String, typed: Bool) throws(MergeError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notARun(path, "no such folder")
        }
        for file in ["summary.csv", "trials.csv", "meta.json"] where !FileManager.default.fileExists(atPath: path + "/" + file) {
            throw .notARun(path, "it has no \(file)")
        }
        self.path = path
        guard let data = FileManager.default.contents(atPath: path + "/meta.json"),
              let meta = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .malformed(path + "/meta.json", "not a JSON object")
        }
        self.meta = meta
        calibration = FileManager.default.fileExists(atPath: path + "/calibration.csv") ? try CSVText(file: path + "/calibration.csv") : nil
        if typed, let summaries = RecordFile<ConfigurationSummary>.read(path + "/" + RunDirectory.summaryRecordsName),
           let trials = RecordFile<TrialResult>.read(path + "/" + RunDirectory.trialRecordsName) {
            rows = .records(summaries: summaries, trials: trials)
            return
        }
        let summary = try CSVText(file: path + "/summary.csv")
        let trials = try CSVText(file: path + "/trials.csv")
        for table in [summary, trials] {
            for column in RowIdentity.columns where !table.header.contains(column) { throw .noHostColumns(table.file, column) }
        }
        rows = .text(summary: summary, trials: trials)
    }

    /// Read from its typed records.
    var typed: Bool {
        if case .records = rows { true } else { false }
    }

    /// The summary's and the trials' files, as errors name them.
    var files: (summary: String, trials: String) {
        typed ? (RunDirectory.summaryRecordsName, RunDirectory.trialRecordsName) : ("summary.csv", "trials.csv")
    }

    /// Each summary row's key and the trials it counts (counted and schedule-idle).
    var summaryKeys: [(key: ConfigurationKey, trials: Int)] {
        switch rows {
        case .records(let summaries, _): return summaries.map { ($0.key, $0.trials + $0.scheduleIdleTrials) }
        case .text(let summary, _):
            let indices = RowIdentity.columns.map { summary.header.firstIndex(of: $0)! }
            let counted = ["trials", "trials_schedule_idle"].compactMap { summary.header.firstIndex(of: $0) }
            return summary.rows.map { row in (ConfigurationKey(fields: indices.map { row[$0] }), counted.reduce(0) { $0 + (Int(row[$1]) ?? 0) }) }
        }
    }

    /// Each trial row's key.
    var trialKeys: [ConfigurationKey] {
        switch rows {
        case .records(_, let trials): return trials.map(\.key)
        case .text(_, let trials):
            let indices = RowIdentity.columns.map { trials.header.firstIndex(of: $0)! }
            return trials.rows.map { row in ConfigurationKey(fields: indices.map { row[$0] }) }
        }
    }

    /// Keeps the trial rows whose key `keep` says.
    private mutating func filterTrials<E: Error>(_ keep: (ConfigurationKey) throws(E) -> Bool) throws(E) {
        switch rows {
        case .records(let summaries, let trials):
            var kept: [TrialResult] = []
            for trial in trials where try keep(trial.key) { kept.append(trial) }
            rows = .records(summaries: summaries, trials: kept)
        case .text(let summary, let trials):
            let indices = RowIdentity.columns.map { trials.header.firstIndex(of: $0)! }
            rows = .text(summary: summary, trials: try trials.filter { row throws(E) in try keep(ConfigurationKey(fields: indices.map { row[$0] })) })
        }
    }

    /// summary.csv's header and rows: as written, or exported from the records through the columns.
    var summaryCSV: (header: [String], rows: [[String]]) {
        switch rows {
        case .records(let summaries, _): (SummaryColumns.all.header(), summaries.map(SummaryColumns.all.fields))
        case .text(let summary, _): (summary.header, summary.rows)
        }
    }

    /// trials.csv's header and rows: as written, or exported from the records through the columns.
    var trialsCSV: (header: [String], rows: [[String]]) {
        switch rows {
        case .records(_, let trials): (TrialColumns.all.header(), trials.map(TrialColumns.all.fields))
        case .text(_, let trials): (trials.header, trials.rows)
        }
    }

    /// The rows as the table prints them.
    var lines: [SummaryTable.Line] {
        switch rows {
        case .records(let summaries, _):
            summaries.map { summary in
                var line = SummaryTable.Line(summary)
                line.kernel = summary.key.host.label
                return line
            }
        case .text(let summary, _): summary.records.map(SummaryTable.Line.init(record:))
        }
    }

    /// Why the run is not complete, or nil: its meta.json's `complete` (set by its last write);
    /// for a folder of a build before the key, an end time and no early stop.
    var incompleteness: String? {
        if let complete = meta["complete"] as? Bool {
            guard !complete else { return nil }
            if let failure = meta["failure"] as? String { return "it failed: \(failure)" }
            if meta["stopped_early"] as? Bool == true { return "it was stopped early" }
            return meta["end_time"] == nil ? "it never ended: killed, or still running" : "meta.json says it is not complete"
        }
        if meta["stopped_early"] as? Bool == true { return "it was stopped early" }
        return meta["end_time"] is String ? nil : "meta.json has no end time: killed, or still running"
    }

    /// One summary row per configuration and host, and the trials.csv rows behind each: every
    /// trial row belongs to a summary row, and each summary row has at least its trials (counted
    /// and schedule-idle) in trials.csv. A summary that lost a row, or trials.csv that lost rows,
    /// is refused. An incomplete run taken on purpose (`unfinished`) keeps its finished rows: the
    /// trials of the configuration it was cut off in, which has no summary row, are left out.
    mutating func checkRows(unfinished: Bool) throws(MergeError) {
        let files = files
        var expected: [ConfigurationKey: Int] = [:]
        for (key, trials) in summaryKeys {
            guard expected.updateValue(trials, forKey: key) == nil else { throw .repeated(key.label, path + "/" + files.summary) }
        }
        var trialCounts: [ConfigurationKey: Int] = [:]
        let before = trialKeys.count
        let path = path
        try filterTrials { key throws(MergeError) in
            guard expected[key] != nil else {
                if unfinished { return false }
                throw .disagree(path, files, "\(files.trials) has trials of \(key.label), which \(files.summary) has no row for")
            }
            trialCounts[key, default: 0] += 1
            return true
        }
        unfinishedTrialRows = before - trialKeys.count
        for (key, count) in expected {
            let found = trialCounts[key] ?? 0
            if found < count {
                throw .disagree(path, files, "\(files.summary) counts \(count) trials of \(key.label), \(files.trials) has \(found)")
            }
        }
    }

    var profile: String { meta["profile"] as? String ?? "unknown" }

    /// Where the run was made, as calibration.csv's added columns spell it: its meta.json's
    /// kernel_release and emulated, else its first row's.
    var machine: [String] {
        let host = identities.first?.host
        let release = meta["kernel_release"] as? String ?? host?.kernelRelease ?? ""
        let emulated = (meta["emulated"] as? Bool) ?? host?.emulated
        return [release, emulated.map { $0 ? "1" : "0" } ?? ""]
    }

    /// Each row's configuration and where it ran (ConfigurationKey), summary rows first: what two
    /// runs may not share.
    var identities: [ConfigurationKey] { summaryKeys.map(\.key) + trialKeys }

    /// The folder's own file of a row's latency histogram: histograms/<host>/ (a merged run of
    /// several hosts) or histograms/.
    func histogram(_ key: ConfigurationKey) -> String? {
        [path + "/histograms/" + key.hostFolder + "/" + key.fileName, path + "/histograms/" + key.fileName]
            .first { FileManager.default.fileExists(atPath: $0) }
    }
}

extension ConfigurationKey {
    /// Its histogram's file name: histograms/<fileName>.
    var fileName: String { RunDirectory.fileName(configuration) + ".hgrm" }
    var hostFolder: String { host.folder }
}
