import Foundation

/// A run folder read back for `bench merge`: its CSV files as written (header and fields, so they
/// are carried unchanged), its meta.json, and where its histograms are.
struct SourceRun {
    /// The folder as given on the command line.
    let path: String
    let meta: [String: Any]
    let summary: CSVText
    let trials: CSVText
    let calibration: CSVText?

    /// A CSV file's header and rows of fields.
    struct CSVText {
        let file: String
        let header: [String]
        let rows: [[String]]

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
    var identities: [RowIdentityKey] {
        [summary, trials].flatMap { table in
            let indices = RowIdentity.columns.map { table.header.firstIndex(of: $0)! }
            return table.rows.map { row in RowIdentityKey(values: indices.map { row[$0] }) }
        }
    }

    /// The folder's own file of a row's latency histogram: histograms/<host>/ (a merged run of
    /// several hosts) or histograms/.
    func histogram(_ key: RowIdentityKey) -> String? {
        [path + "/histograms/" + key.hostFolder + "/" + key.fileName, path + "/histograms/" + key.fileName]
            .first { FileManager.default.fileExists(atPath: $0) }
    }
}

/// A row's configuration and where it ran: the values of RowIdentity's columns.
struct RowIdentityKey: Hashable {
    let values: [String]

    var configuration: [String] { Array(values.prefix(4)) }
    var kernelRelease: String { values[4] }
    var emulated: Bool { values[5] == "1" }
    var host: HostKey { HostKey(kernelRelease: kernelRelease, emulated: emulated) }
    var fileName: String { RunDirectory.fileName(configuration) + ".hgrm" }
    var hostFolder: String { host.folder }

    /// For people: "eager first-worker signals=none faults=none on 6.18.44 (emulated)".
    var label: String { "\(values[0]) \(values[1]) signals=\(values[2]) faults=\(values[3]) on \(host.label)" }
}

/// A kernel release, emulated or not: the machines a merged run's rows come from.
struct HostKey: Hashable, Comparable {
    let kernelRelease: String
    let emulated: Bool

    var label: String { kernelRelease + (emulated ? " (emulated)" : "") }
    var folder: String { RunDirectory.fileName([kernelRelease + (emulated ? "-emulated" : "")]) }

    static func < (lhs: HostKey, rhs: HostKey) -> Bool { (lhs.kernelRelease, lhs.emulated ? 1 : 0) < (rhs.kernelRelease, rhs.emulated ? 1 : 0) }
}
