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

    /// kernels.csv's rows (header first) from `<run>/<label>/fidelity.csv` and its meta.json.
    /// Kernels whose run left no fidelity.csv are skipped and named in `missing`.
    public static func rows(run: String, _ sources: [Source]) throws(GuestError) -> (rows: [[String]], missing: [String]) {
        var header: [String]? = nil
        var rows: [[String]] = []
        var missing: [String] = []
        for source in sources {
            let folder = run + "/" + source.label
            guard let text = try? String(contentsOfFile: folder + "/fidelity.csv", encoding: .utf8) else {
                missing.append(source.label)
                continue
            }
            var table = CSVReader.rows(text)
            guard !table.isEmpty else { missing.append(source.label); continue }
            let own = table.removeFirst()
            if let header, header != placeColumns + own {
                throw .invalid("\(folder)/fidelity.csv has other columns than the kernels before it (a run of another build?)")
            }
            header = placeColumns + own
            let meta = metadata(folder)
            let place = [source.label, meta.release, source.acceleration.rawValue, meta.cpuModel, meta.behavesLike, meta.versionSuggests]
            rows += table.map { place + $0 }
        }
        return ((header.map { [$0] } ?? []) + rows, missing)
    }

    /// What a run's meta.json says of its kernel ("" where it does not say): release, CPU model,
    /// the preset its lineage fingerprint names and the one its version number suggests.
    static func metadata(_ folder: String) -> (release: String, cpuModel: String, behavesLike: String, versionSuggests: String, reason: String) {
        guard let object = RunMetadata.object(in: folder) else { return ("", "", "", "", "") }
        let release = object["kernel_release"] as? String ?? ""
        let fingerprint = object[FingerprintRecord.key] as? [String: Any]
        let byVersion = fingerprint?["by_version"] as? String
            ?? StrategyCatalog.preset(suggestedBy: release)?.name ?? ""
        return (release, object["cpu_model"] as? String ?? "", fingerprint?["preset"] as? String ?? "", byVersion,
                fingerprint?["reason"] as? String ?? "")
    }

    /// One line per kernel: which preset it behaves like, which its version suggests, and why.
    public static func fingerprints(run: String, _ sources: [Source]) -> [String] {
        sources.map { source in
            let meta = metadata(run + "/" + source.label)
            guard !meta.behavesLike.isEmpty || !meta.reason.isEmpty else { return "\(meta.release): no lineage fingerprint" }
            let suggests = meta.versionSuggests.isEmpty ? "" : meta.versionSuggests == meta.behavesLike
                ? " (as its version suggests)" : " (its version suggests \(meta.versionSuggests))"
            return "\(meta.release): behaves like \(meta.behavesLike.isEmpty ? "no preset" : meta.behavesLike)\(suggests): \(meta.reason)"
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
