import Foundation

/// Where `bench fingerprint --out DIR` puts its verdict: into the meta.json of the run in DIR (made
/// on this kernel, and without a fingerprint yet: one key is added, nothing else changes), or into
/// a new run folder of its own when DIR does not exist or is empty. Checked before the measurement
/// and again before writing; an earlier fingerprint is never overwritten.
public enum FingerprintRecord {
    public enum Destination {
        /// A new folder: a meta.json of its own.
        case fresh
        /// An existing run of this kernel: its meta.json gains `lineage_fingerprint`.
        case existingRun
    }

    public static let key = "lineage_fingerprint"

    public static func check(_ path: String, kernelRelease: String = HostIdentity.current.kernelRelease) throws(FingerprintRecordError) -> Destination {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if contents.isEmpty { return .fresh }
        guard let meta = readMeta(path) else { throw .notARun(path) }
        if meta[key] != nil { throw .alreadyThere(path) }
        let release = meta["kernel_release"] as? String ?? "unknown"
        if release != kernelRelease { throw .otherKernel(path, release, kernelRelease) }
        return .existingRun
    }

    static func readMeta(_ path: String) -> [String: Any]? { RunMetadata.object(in: path) }

    /// Records `fingerprint` in `path` as `check` said it may.
    public static func write(_ fingerprint: LineageFingerprint, to path: String, metadata: RunMetadata) throws(FingerprintRecordError) {
        switch try check(path, kernelRelease: fingerprint.kernelRelease) {
        case .fresh:
            var metadata = metadata
            metadata.lineageFingerprint = fingerprint
            do {
                try RunDirectory.createFresh(path)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try RunDirectory.writeFile(path + "/meta.json", Array(try encoder.encode(metadata)) + [UInt8(ascii: "\n")])
            } catch {
                throw .cannotWrite("\(error)")
            }
        case .existingRun:
            guard var meta = readMeta(path) else { throw .notARun(path) }
            do {
                meta[key] = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(fingerprint))
                let data = try JSONSerialization.data(withJSONObject: meta, options: [.prettyPrinted, .sortedKeys])
                try RunDirectory.writeFile(path + "/meta.json", Array(data) + [UInt8(ascii: "\n")])
            } catch {
                throw .cannotWrite("\(error)")
            }
        }
    }
}

/// Why a fingerprint was not recorded.
public enum FingerprintRecordError: Error, CustomStringConvertible {
    case notARun(String)
    case alreadyThere(String)
    case otherKernel(String, String, String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .notARun(let path): "\(path) is neither empty nor a run folder with a meta.json"
        case .alreadyThere(let path): "\(path)/meta.json already holds a lineage fingerprint; refusing to overwrite it"
        case .otherKernel(let path, let release, let running):
            "\(path) was made on kernel \(release), this is \(running): a fingerprint describes the kernel it ran on"
        case .cannotWrite(let reason): reason
        }
    }
}
