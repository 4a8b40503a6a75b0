import Foundation

/// `bench merge`: run folders from shards, guests or other machines joined into one run folder.
///
/// The rules, each checked before anything is written:
/// - every input is a run folder (summary.csv, trials.csv, meta.json) whose rows say where they ran
///   (kernel_release, emulated), and all inputs have the same columns, file by file;
/// - all inputs ran one profile (its item counts and deadlines shape every number);
/// - a configuration on one host (ConfigurationKey: strategy, scenario, signals, faults, kernel_release,
///   emulated) may come from one input only. The same configuration from two kernels, or from one
///   kernel native and emulated, is two rows; from one host twice (the same shard run twice, or an
///   overlapping sweep) it is a conflict, named with both inputs: merge never chooses between two
///   measurements, nor pools them (their trials share seeds);
/// - the output folder must not exist or be empty: earlier results are never overwritten.
///
/// Every input is read from its typed records (summary.jsonl, trials.jsonl) when every input has
/// records this build reads: no CSV text is parsed, and summary.csv and trials.csv are exported from
/// the records through the columns (and the records written beside them). Otherwise (a folder of an
/// older build, a run killed before its records were named) every input is read as CSV, and the
/// rows are carried as written.
///
/// summary.csv and trials.csv are the inputs' rows in the order given; calibration.csv gets where
/// each input ran and its folder as columns; each row's histogram is carried (under
/// histograms/<kernel release>[-emulated]/ when the rows come from more than one host); meta.json
/// lists the sources with their own meta.json (less the vocabulary).
public struct RunMerge {
    let sources: [SourceRun]
    /// The hosts the rows come from, sorted.
    public let hosts: [String]
    let hostKeys: [HostKey]
    /// The inputs that are not complete runs, taken because they were allowed; listed in meta.json.
    public let incomplete: [String]
    /// Every input was read from its typed records.
    public let typed: Bool

    /// Reads and checks the inputs; an input that is not a complete run is refused unless
    /// `allowingIncomplete`.
    public init(paths: [String], allowingIncomplete: Bool = false) throws(MergeError) {
        guard !paths.isEmpty else { throw .nothingToMerge }
        var seen: [String: String] = [:]
        for path in paths {
            let resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            if seen[resolved] != nil { throw .givenTwice(path) }
            seen[resolved] = path
        }
        var sources: [SourceRun] = []
        for path in paths { sources.append(try SourceRun(path: path, typed: true)) }
        if !sources.allSatisfy(\.typed) {
            // one table of one kind: an input without records makes every input a CSV one
            sources = []
            for path in paths { sources.append(try SourceRun(path: path, typed: false)) }
        }
        typed = sources.allSatisfy(\.typed)
        let first = sources[0]
        for source in sources.dropFirst() {
            if case .text(let summary, let trials) = source.rows, case .text(let firstSummary, let firstTrials) = first.rows {
                try Self.sameColumns(firstSummary, summary)
                try Self.sameColumns(firstTrials, trials)
            }
            if let a = sources.compactMap(\.calibration).first, let b = source.calibration,
               Self.calibrationColumns(a.header) != Self.calibrationColumns(b.header) {
                try Self.sameColumns(a, b)
            }
            if source.profile != first.profile { throw .profilesDiffer(first.path, first.profile, source.path, source.profile) }
        }
        // after the columns: a row is read by its header
        for index in sources.indices {
            let why = sources[index].incompleteness
            if let why, !allowingIncomplete { throw .incomplete(sources[index].path, why) }
            try sources[index].checkRows(unfinished: why != nil)
        }
        incomplete = sources.filter { $0.incompleteness != nil }.map(\.path)
        var owner: [ConfigurationKey: String] = [:]
        for source in sources {
            for key in Set(source.identities) {
                if let other = owner[key] { throw .conflict(key.label, other, source.path) }
                owner[key] = source.path
            }
        }
        self.sources = sources
        hostKeys = Set(owner.keys.map(\.host)).sorted()
        hosts = hostKeys.map(\.label)
    }

    static func sameColumns(_ a: SourceRun.CSVText, _ b: SourceRun.CSVText) throws(MergeError) {
        guard a.header != b.header else { return }
        if let index = zip(a.header, b.header).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            throw .schemasDiffer(a.file, b.file, "column \(index + 1) is '\(a.header[index])' in one, '\(b.header[index])' in the other")
        }
        throw .schemasDiffer(a.file, b.file, "\(a.header.count) columns against \(b.header.count)")
    }

    /// Configurations merged: summary rows.
    public var configurationCount: Int { sources.reduce(0) { $0 + $1.summaryKeys.count } }

    /// Writes the merged run into `path`, which must not exist or be empty.
    public func write(to path: String, commandLine: [String] = CommandLine.arguments) throws(MergeError) {
        do {
            try RunDirectory.createFresh(path)
            try RunDirectory.writeFile(path + "/summary.csv", Self.csv(sources[0].summaryCSV.header, sources.flatMap(\.summaryCSV.rows)))
            try RunDirectory.writeFile(path + "/trials.csv", Self.csv(sources[0].trialsCSV.header, sources.flatMap(\.trialsCSV.rows)))
            if typed { try writeRecords(to: path) }
            if let header = sources.compactMap(\.calibration).first?.header {
                let rows = sources.flatMap { source -> [[String]] in
                    guard let calibration = source.calibration else { return [] }
                    if calibration.header != Self.calibrationColumns(calibration.header) { return calibration.rows }  // merged before
                    return calibration.rows.map { $0 + source.machine + [source.path] }
                }
                try RunDirectory.writeFile(path + "/calibration.csv", Self.csv(Self.calibrationColumns(header) + Self.calibrationSource, rows))
            }
            try writeHistograms(to: path)
            try RunDirectory.writeFile(path + "/meta.json", metadata(commandLine: commandLine))
        } catch {
            throw .output(error)
        }
    }

    /// The columns merge adds to calibration.csv: where each input ran, and which input it was.
    static let calibrationSource = ["kernel_release", "emulated", "source"]

    /// A calibration.csv header without the columns an earlier merge added.
    static func calibrationColumns(_ header: [String]) -> [String] {
        Array(header.suffix(3)) == calibrationSource ? Array(header.dropLast(3)) : header
    }

    /// summary.jsonl and trials.jsonl of the merged run: the inputs' records, in order, so that it
    /// merges again on the typed path.
    private func writeRecords(to path: String) throws(OutputError) {
        var summaries: [ConfigurationSummary] = []
        var trials: [TrialResult] = []
        for case .records(let s, let t) in sources.map(\.rows) {
            summaries += s
            trials += t
        }
        try RunDirectory.writeFile(path + "/" + RunDirectory.summaryRecordsName, try Self.lines(summaries, path + "/" + RunDirectory.summaryRecordsName))
        try RunDirectory.writeFile(path + "/" + RunDirectory.trialRecordsName, try Self.lines(trials, path + "/" + RunDirectory.trialRecordsName))
    }

    private static func lines<Record: Encodable>(_ records: [Record], _ file: String) throws(OutputError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes: [UInt8] = []
        for record in records {
            do { bytes += try encoder.encode(record) } catch { throw .cannotWrite(file, "cannot encode a record: \(error)") }
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    private static func csv(_ header: [String], _ rows: [[String]]) -> [UInt8] {
        Array(([header] + rows).map(CSVFile.line).joined().utf8)
    }

    /// Each summary row's histogram, from its input; in a folder per host when there are several.
    private func writeHistograms(to path: String) throws(OutputError) {
        let perHost = hostKeys.count > 1
        for source in sources {
            for key in source.summaryKeys.map(\.key) {
                guard let file = source.histogram(key), let bytes = FileManager.default.contents(atPath: file) else { continue }
                let folder = path + "/histograms" + (perHost ? "/" + key.hostFolder : "")
                do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                    throw .cannotWrite(folder, "\(error)")
                }
                try RunDirectory.writeFile(folder + "/" + key.fileName, Array(bytes))
            }
        }
    }

    /// meta.json: what merged what, and each source's own meta.json less its vocabulary (the
    /// first source's is carried once, for scripts/plot.py).
    private func metadata(commandLine: [String]) -> [UInt8] {
        var entries: [[String: Any]] = []
        for source in sources {
            var entry = source.meta
            entry["vocabulary"] = nil
            entry["path"] = URL(fileURLWithPath: source.path).standardizedFileURL.path
            entry["summary_rows"] = source.summaryKeys.count
            entry["trial_rows"] = source.trialKeys.count
            if source.unfinishedTrialRows > 0 { entry["unfinished_trial_rows_left_out"] = source.unfinishedTrialRows }
            entries.append(entry)
        }
        var meta: [String: Any] = [
            "merged": true,
            "read_from": typed ? "typed records (summary.jsonl, trials.jsonl)" : "CSV (summary.csv, trials.csv)",
            "sources": entries,
            "profile": sources[0].profile,
            "kernel_releases": Array(Set(hostKeys.map(\.kernelRelease))).sorted(),
            "hosts": hostKeys.map { ["kernel_release": $0.kernelRelease, "emulated": $0.emulated] },
            "stopped_early": sources.contains { $0.meta["stopped_early"] as? Bool == true },
            // complete when every input was; an incomplete input is taken only when allowed, and named
            "complete": incomplete.isEmpty,
            "incomplete_sources": incomplete.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
            "git_commit": RunMetadata.gitCommit() ?? "unknown",
            "command_line": commandLine,
            "merge_time": RunMetadata.timestamp(),
        ]
        if let vocabulary = sources.lazy.compactMap({ $0.meta["vocabulary"] }).first { meta["vocabulary"] = vocabulary }
        let data = (try? JSONSerialization.data(withJSONObject: meta, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// The merged run's table: the run's own, with a kernel column when its rows come from more
    /// than one host.
    public func table(format: SummaryFormat = .text) -> String {
        switch format {
        case .text, .markdown:
            SummaryTable.render(sources.flatMap(\.lines), kernelColumn: hostKeys.count > 1, markdown: format == .markdown)
        case .csv, .json:
            SummaryFormat.export(header: sources[0].summaryCSV.header, rows: sources.flatMap(\.summaryCSV.rows), as: format)
        }
    }
}
