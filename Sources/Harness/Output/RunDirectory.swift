#if canImport(Glibc)
import Glibc
#endif

/// A run's output folder: trials.csv and summary.csv grow row by row, trials.jsonl and
/// summary.jsonl (the same rows as typed records, lossless) beside them, meta.json is written at the
/// start and completed at the end. It is always a new folder: earlier results are never touched.
public final class RunDirectory {
    public let path: String
    private let trials: CSVFile
    private let summary: CSVFile
    private let trialRecords: RecordFile<TrialResult>
    private let summaryRecords: RecordFile<ConfigurationSummary>

    /// Creates `path` (and its parents). Fails if it exists and is not empty, or cannot be written.
    public init(path: String) throws(OutputError) {
        self.path = path
        try RunDirectory.createFresh(path)
        trials = try CSVFile(path: path + "/trials.csv", header: TrialColumns.all.header())
        summary = try CSVFile(path: path + "/summary.csv", header: SummaryColumns.all.header())
        trialRecords = try RecordFile(path: path + "/" + Self.trialRecordsName)
        summaryRecords = try RecordFile(path: path + "/" + Self.summaryRecordsName)
    }

    /// The typed records' files: every TrialResult as the child sent it, every ConfigurationSummary.
    static let trialRecordsName = "trials.jsonl"
    static let summaryRecordsName = "summary.jsonl"

    /// The default folder: results/<UTC timestamp>.
    public static func defaultPath() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "results/\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    /// A trial: its trials.csv row, and its trials.jsonl record, `sent` (the child's JSON line) when
    /// there is one, else encoded here (a trial owed by a child that died).
    func append(_ result: TrialResult, sent: [UInt8]? = nil) throws(OutputError) {
        try trials.write(TrialColumns.all.fields(result))
        if let sent { try trialRecords.writeLine(sent) } else { try trialRecords.write(result) }
    }

    public func append(_ row: ConfigurationSummary) throws(OutputError) {
        try summary.write(SummaryColumns.all.fields(row))
        try summaryRecords.write(row)
        try writeDistribution(row)
    }

    /// The sweep wrote its last row: trials.jsonl and summary.jsonl get their names.
    func finishRecords() throws(OutputError) {
        try trialRecords.finish()
        try summaryRecords.finish()
    }

    /// histograms/<configuration>.hgrm: the ok items' merged latency distribution of a row, for
    /// rows that have one.
    private func writeDistribution(_ row: ConfigurationSummary) throws(OutputError) {
        guard row.latency.count > 0 else { return }
        if mkdir(path + "/histograms", 0o755) != 0 && errno != EEXIST {
            throw .cannotWrite(path + "/histograms", String(cString: strerror(errno)))
        }
        try write("histograms/" + Self.fileName(row) + ".hgrm", Array(row.latency.percentileDistribution.utf8))
    }

    /// A row's configuration as a file name: its four names joined by `_`, every character that is
    /// not a letter, digit, `-` or `.` spelled `-`.
    static func fileName(_ row: ConfigurationSummary) -> String {
        fileName(row.key.configuration)
    }

    /// Names joined by `_` as a file name, every character that is not a letter, digit, `-`, `.`
    /// or `_` spelled `-`.
    static func fileName(_ names: [String]) -> String {
        names.joined(separator: "_")
            .map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" ? String($0) : "-" }.joined()
    }

    /// calibration.csv: the machine's own limits, written once, before the sweep.
    public func write(_ calibration: [CalibrationResult]) throws(OutputError) {
        let rows = [CalibrationColumns.all.header()] + calibration.map(CalibrationColumns.all.fields)
        try write("calibration.csv", Array(rows.map(CSVFile.line).joined().utf8))
    }

    public func write(_ name: String, _ bytes: [UInt8]) throws(OutputError) {
        try Self.writeFile(path + "/" + name, bytes)
    }

    /// The suffix of a file being written: a run stopped, killed or out of space mid-write leaves
    /// `<name>.partial`, never a truncated `<name>`.
    static let partialSuffix = ".partial"

    /// Writes `bytes` to `file` whole or not at all: into `file.partial`, then renamed over `file`
    /// (rename(2) is atomic), so a reader finds the old file or the new one, never a part.
    static func writeFile(_ file: String, _ bytes: [UInt8]) throws(OutputError) {
        let partial = file + partialSuffix
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(file, String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(n < 0 ? errno : ENOSPC))
                close(fd)
                unlink(partial)
                throw .cannotWrite(file, reason)
            }
            offset += n
        }
        close(fd)
        try commit(file)
    }

    /// Renames `file.partial`, written whole, over `file` (rename(2) is atomic).
    static func commit(_ file: String) throws(OutputError) {
        let partial = file + partialSuffix
        guard rename(partial, file) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw .cannotWrite(file, reason)
        }
    }

    /// Creates `path` (and its parents); fails if it exists and is not empty, or cannot be written.
    static func createFresh(_ path: String) throws(OutputError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .cannotWrite(path, String(cString: strerror(errno)))
            }
        }
        guard let directory = opendir(path) else { throw .cannotWrite(path, String(cString: strerror(errno))) }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { throw .exists(path) }
        }
        guard access(path, W_OK) == 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
    }
}
