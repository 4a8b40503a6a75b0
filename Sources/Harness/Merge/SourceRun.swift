import Foundation

/// A run folder read back for `bench merge`: its CSV files as written (header and fields, so they
/// are carried unchanged), its meta.json, and where its histograms are.
struct SourceRun {
    /// The folder as given on the command line.
    let path: String
    let meta: [String: Any]
    let summary: CSVText
    private(set) var trials: CSVText
    let calibration: CSVText?
    /// Trial rows left out: those of the configuration an incomplete run was cut off in.
    private(set) var unfinishedTrialRows = 0

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

    init(path: String) throws(MergeError) {
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
        summary = try CSVText(file: path + "/summary.csv")
        trials = try CSVText(file: path + "/trials.csv")
        calibration = FileManager.default.fileExists(atPath: path + "/calibration.csv") ? try CSVText(file: path + "/calibration.csv") : nil
        for table in [summary, trials] {
            for column in RowIdentity.columns where !table.header.contains(column) { throw .noHostColumns(table.file, column) }
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
        let indices = RowIdentity.columns.map { summary.header.firstIndex(of: $0)! }
        var summaryRows: [ConfigurationKey: [String]] = [:]
        for row in summary.rows {
            let key = ConfigurationKey(fields: indices.map { row[$0] })
            guard summaryRows.updateValue(row, forKey: key) == nil else { throw .repeated(key.label, path) }
        }
        let trialIndices = RowIdentity.columns.map { trials.header.firstIndex(of: $0)! }
        var trialCounts: [ConfigurationKey: Int] = [:]
        let before = trials.rows.count
        trials = try trials.filter { row throws(MergeError) in
            let key = ConfigurationKey(fields: trialIndices.map { row[$0] })
            guard summaryRows[key] != nil else {
                if unfinished { return false }
                throw .disagree(path, "trials.csv has trials of \(key.label), which summary.csv has no row for")
            }
            trialCounts[key, default: 0] += 1
            return true
        }
        unfinishedTrialRows = before - trials.rows.count
        let counted = ["trials", "trials_schedule_idle"].compactMap { summary.header.firstIndex(of: $0) }
        for (key, row) in summaryRows {
            let expected = counted.reduce(0) { $0 + (Int(row[$1]) ?? 0) }
            let found = trialCounts[key] ?? 0
            if found < expected {
                throw .disagree(path, "summary.csv counts \(expected) trials of \(key.label), trials.csv has \(found)")
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

    /// Each row's configuration and where it ran (RowIdentity), summary rows first: what two runs
    /// may not share.
    var identities: [ConfigurationKey] {
        [summary, trials].flatMap { table in
            let indices = RowIdentity.columns.map { table.header.firstIndex(of: $0)! }
            return table.rows.map { row in ConfigurationKey(fields: indices.map { row[$0] }) }
        }
    }

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
