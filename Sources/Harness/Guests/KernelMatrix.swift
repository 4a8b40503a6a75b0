import Foundation

/// The kernel x preset table: each kernel's fidelity rows (the kernel beside the lineage preset
/// that models it, measured in the same guest) one after another, each with where it ran.
public enum KernelMatrix {
    /// One measured kernel: its folder under the run, and how its CPUs ran.
    public struct Source: Sendable {
        public var label: String
        public var acceleration: Acceleration
        public init(label: String, acceleration: Acceleration) {
            self.label = label
            self.acceleration = acceleration
        }
    }

    /// The columns put before each fidelity.csv's own.
    static let placeColumns = ["kernel_requested", "kernel_release", "acceleration", "cpu_model", "behaves_like", "version_suggests"]

    /// kernels.csv's rows (header first) from each kernel's fidelity rows (`fidelityTable`) and its
    /// meta.json. Kernels whose run left no fidelity rows are skipped and named in `missing`.
    public static func rows(run: String, _ sources: [Source]) throws(GuestError) -> (rows: [[String]], missing: [String]) {
        var header: [String]? = nil
        var rows: [[String]] = []
        var missing: [String] = []
        for source in sources {
            let folder = run + "/" + source.label
            let meta = metadata(folder)
            guard let table = fidelityTable(folder, meta) else {
                missing.append(source.label)
                continue
            }
            if let header, header != placeColumns + table.header {
                throw .invalid("\(folder)/fidelity.csv has other columns than the kernels before it (a run of another build?)")
            }
            header = placeColumns + table.header
            let place = [source.label, meta.kernelRelease ?? "", source.acceleration.rawValue, meta.cpuModel ?? "", meta.behavesLike, meta.versionSuggests]
            rows += table.rows.map { place + $0 }
        }
        return ((header.map { [$0] } ?? []) + rows, missing)
    }

    /// A kernel's fidelity rows: rebuilt from its typed records and the presets its meta.json
    /// names (no CSV text read), else, for a run of a build before them, its fidelity.csv as
    /// written; nil when it has neither, or no row.
    static func fidelityTable(_ folder: String, _ meta: Place) -> (header: [String], rows: [[String]])? {
        if let rows = Fidelity.rows(recordsIn: folder, presets: meta.fidelityPresets) {
            return rows.isEmpty ? nil : (FidelityTable.columns.header(), rows.map(FidelityTable.columns.fields))
        }
        guard let text = try? String(contentsOfFile: folder + "/fidelity.csv", encoding: .utf8) else { return nil }
        var table = CSVReader.rows(text)
        guard !table.isEmpty else { return nil }
        return (table.removeFirst(), table)
    }

    /// What a run's meta.json says of its kernel, decoded (every field may be missing: a run of
    /// another build): release, CPU model, its lineage fingerprint and its fidelity presets.
    struct Place: Decodable {
        struct Fingerprint: Decodable {
            var preset: String?
            var byVersion: String?
            var reason: String?
            enum CodingKeys: String, CodingKey { case preset, byVersion = "by_version", reason }
        }
        var kernelRelease: String?
        var cpuModel: String?
        var lineageFingerprint: Fingerprint?
        var fidelityPresets: Fidelity.Presets?
        enum CodingKeys: String, CodingKey {
            case kernelRelease = "kernel_release", cpuModel = "cpu_model", lineageFingerprint = "lineage_fingerprint"
            case fidelityPresets = "fidelity_presets"
        }

        /// The preset its lineage fingerprint names ("" when none).
        var behavesLike: String { lineageFingerprint?.preset ?? "" }
        /// The preset its version number suggests: the fingerprint's, else this build's reading of the release.
        var versionSuggests: String {
            lineageFingerprint?.byVersion ?? StrategyCatalog.preset(suggestedBy: kernelRelease ?? "")?.name ?? ""
        }
        var reason: String { lineageFingerprint?.reason ?? "" }
    }

    /// The folder's meta.json, or nothing known when it has none this build can read.
    static func metadata(_ folder: String) -> Place {
        let empty = Place(kernelRelease: nil, cpuModel: nil, lineageFingerprint: nil, fidelityPresets: nil)
        guard let data = FileManager.default.contents(atPath: folder + "/meta.json") else { return empty }
        return (try? JSONDecoder().decode(Place.self, from: data)) ?? empty
    }

    /// One line per kernel: which preset it behaves like, which its version suggests, and why.
    public static func fingerprints(run: String, _ sources: [Source]) -> [String] {
        sources.map { source in
            let meta = metadata(run + "/" + source.label)
            let release = meta.kernelRelease ?? ""
            guard !meta.behavesLike.isEmpty || !meta.reason.isEmpty else { return "\(release): no lineage fingerprint" }
            let suggests = meta.versionSuggests.isEmpty ? "" : meta.versionSuggests == meta.behavesLike
                ? " (as its version suggests)" : " (its version suggests \(meta.versionSuggests))"
            return "\(release): behaves like \(meta.behavesLike.isEmpty ? "no preset" : meta.behavesLike)\(suggests): \(meta.reason)"
        }
    }

    public static func csv(_ rows: [[String]]) -> String { rows.map(CSVFile.line).joined() }

    /// The printed table: every kernel's rows over all its trials (the SA_RESTART halves are in
    /// the CSV), the kernel's stuck rate beside its preset's, and the verdict.
    public static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        func field(_ row: [String], _ name: String) -> String {
            header.firstIndex(of: name).map { $0 < row.count ? row[$0] : "" } ?? ""
        }
        func rate(_ row: [String], _ side: String) -> String {
            let rate = field(row, "\(side)_stuck_rate")
            guard let value = Double(rate), let low = Double(field(row, "\(side)_stuck_ci_low")),
                  let high = Double(field(row, "\(side)_stuck_ci_high")) else { return "" }
            return "\(Format.fixed(value, 2)) [\(Format.fixed(low, 2)), \(Format.fixed(high, 2))] n=\(field(row, "\(side)_trials"))"
        }
        let body = rows.dropFirst().filter { field($0, "sa_restart") == "all" }.map { row in
            let verdict = field(row, "verdict")
            let reason = field(row, "reason")
            return [field(row, "kernel_release"), field(row, "acceleration"), field(row, "scenario"), field(row, "signals"),
                    rate(row, "kernel"), field(row, "model"), rate(row, "model"),
                    verdict == "disagree" && !reason.isEmpty ? "disagree: \(reason)" : verdict]
        }
        return TextTable.render(header: ["kernel", "cpu", "scenario", "signals", "kernel stuck [95% CI]", "preset", "preset stuck [95% CI]", "verdict"],
                                rows: body, rightAligned: [], underline: true)
    }
}
