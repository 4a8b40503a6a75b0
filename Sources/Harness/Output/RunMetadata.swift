#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// meta.json: where and how a run was made, so its numbers can be compared with another's.
public struct RunMetadata: Codable, Sendable {
    public var gitCommit: String
    public var kernelRelease: String
    /// Whether the run was emulated (qemu TCG), and why the harness thinks so (HostIdentity).
    public var emulated: Bool
    public var emulationEvidence: String
    public var cpuModel: String
    public var cpuCount: Int
    public var swiftVersion: String
    public var buildConfiguration: String
    public var commandLine: [String]
    public var profile: String
    public var seed: UInt64
    public var trials: Int
    public var startTime: String
    public var endTime: String?
    public var stoppedEarly: Bool
    /// Whether the run ended as planned, every row written: false from the start, made true by
    /// the last write of a run that finished. A run killed outright never gets there, so a folder
    /// whose meta.json says false (or lacks the key, from an older build, and has no end time) is
    /// a part of a run, and `bench merge` refuses it.
    public var complete = false
    /// Why the run ended before its end, when a write failed (a full disk): the error's line.
    public var failure: String?
    /// Per strategy: trials run (idle ones included) per second of its configurations' wall time.
    public var trialsPerSecond: [String: Double] = [:]
    /// Which preset the live kernel behaves like (`bench fingerprint --out`), with its evidence.
    public var lineageFingerprint: LineageFingerprint?
    /// Whether the kernel row could read its tracepoints here (KernelTrace), or why not.
    public var kernelTrace: String? = KernelTrace.status
    /// The part of the sweep this run ran (`--shard i/n`); nil for a whole sweep.
    public var shard: ShardRecord?
    /// `bench fidelity`: the presets its kernel rows are compared with, so its rows can be rebuilt
    /// from the typed records (the kernel matrix).
    public var fidelityPresets: Fidelity.Presets?
    /// The names the build that made the run knows (what `bench list --json` prints).
    public var vocabulary = Vocabulary.current

    enum CodingKeys: String, CodingKey {
        case gitCommit = "git_commit", kernelRelease = "kernel_release", emulated, emulationEvidence = "emulation_evidence", cpuModel = "cpu_model", cpuCount = "cpu_count"
        case swiftVersion = "swift_version", buildConfiguration = "build_configuration", commandLine = "command_line"
        case profile, seed, trials, startTime = "start_time", endTime = "end_time", stoppedEarly = "stopped_early", vocabulary
        case complete, failure
        case trialsPerSecond = "trials_per_second", shard, lineageFingerprint = "lineage_fingerprint", kernelTrace = "kernel_trace"
        case fidelityPresets = "fidelity_presets"
    }

    public init(profile: String, seed: UInt64, trials: Int) {
        gitCommit = RunMetadata.gitCommit() ?? "unknown"
        let host = HostIdentity.current
        kernelRelease = host.kernelRelease
        emulated = host.emulated
        emulationEvidence = host.emulationEvidence
        cpuModel = HostIdentity.cpuModel() ?? "unknown"
        cpuCount = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #if compiler(>=6.3)
        swiftVersion = "6.3 or later"
        #elseif compiler(>=6.2)
        swiftVersion = "6.2"
        #else
        swiftVersion = "6.1"
        #endif
        #if DEBUG
        buildConfiguration = "debug"
        #else
        buildConfiguration = "release"
        #endif
        commandLine = CommandLine.arguments
        self.profile = profile
        self.seed = seed
        self.trials = trials
        startTime = RunMetadata.timestamp()
        stoppedEarly = false
    }

    public mutating func finish(stoppedEarly: Bool, _ summaries: [ConfigurationSummary] = []) {
        endTime = RunMetadata.timestamp()
        self.stoppedEarly = stoppedEarly
        complete = !stoppedEarly && failure == nil
        var totals: [String: (trials: Int, seconds: Double)] = [:]
        for row in summaries {
            totals[row.strategy, default: (0, 0)].trials += row.trials + row.scheduleIdleTrials
            totals[row.strategy, default: (0, 0)].seconds += row.wallSeconds
        }
        trialsPerSecond = totals.filter { $0.value.seconds > 0 }.mapValues { (Double($0.trials) / $0.seconds * 10).rounded() / 10 }
    }

    /// Records that `error` ended the run early (a write failed) and writes meta.json if it can;
    /// when it cannot, the meta.json written before still says the run is not complete.
    public mutating func fail(_ error: any Error, in directory: RunDirectory) {
        failure = "\(error)"
        finish(stoppedEarly: true)
        try? write(to: directory)
    }

    /// meta.json, replaced whole (through a temporary name): never half written.
    public func write(to directory: RunDirectory) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try directory.write("meta.json", Array(try encoder.encode(self)) + [UInt8(ascii: "\n")])
    }

    /// The meta.json of the run in `folder` as a JSON object, every key kept (those of other
    /// builds too); nil when there is none or it is not an object.
    static func object(in folder: String) -> [String: Any]? {
        FileManager.default.contents(atPath: folder + "/meta.json").flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// HEAD of the git checkout around the working directory, or else around this executable (a
    /// build under .build of its checkout, run from elsewhere), read from .git without running git.
    static func gitCommit() -> String? {
        gitCommit(around: FileManager.default.currentDirectoryPath)
            ?? gitCommit(around: (ChildProcess.ownExecutable as NSString).deletingLastPathComponent)
    }

    /// HEAD of the checkout that holds `start`: its .git folder, or the .git file of a linked
    /// worktree (`gitdir: ...`, whose refs live in the main checkout's folder, named by `commondir`).
    static func gitCommit(around start: String) -> String? {
        var directory = start
        while true {
            var git = directory + "/.git"
            var common = git
            if let link = try? String(contentsOfFile: git, encoding: .utf8), link.hasPrefix("gitdir: ") {
                git = link.dropFirst(8).trimmingCharacters(in: .whitespacesAndNewlines)
                if !git.hasPrefix("/") { git = directory + "/" + git }
                common = git
                if let shared = try? String(contentsOfFile: git + "/commondir", encoding: .utf8) {
                    let path = shared.trimmingCharacters(in: .whitespacesAndNewlines)
                    common = path.hasPrefix("/") ? path : git + "/" + path
                }
            }
            if let head = try? String(contentsOfFile: git + "/HEAD", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) {
                guard head.hasPrefix("ref: ") else { return head }
                let ref = String(head.dropFirst(5))
                for folder in [git, common] {
                    if let commit = try? String(contentsOfFile: folder + "/" + ref, encoding: .utf8) {
                        return commit.trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                }
                let packed = (try? String(contentsOfFile: common + "/packed-refs", encoding: .utf8)) ?? ""
                return packed.split(separator: "\n").first { $0.hasSuffix(" " + ref) }.map { String($0.prefix(40)) }
            }
            guard let slash = directory.lastIndex(of: "/"), directory != "/" else { return nil }
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
        }
    }
}

/// meta.json's record of a shard: which part, and how much of the sweep it holds.
public struct ShardRecord: Codable, Sendable, Equatable {
    public var index: Int
    public var count: Int
    /// Configurations and expected trials of this shard, and of the whole sweep.
    public var configurations: Int
    public var sweepConfigurations: Int
    public var trials: Int
    public var sweepTrials: Int

    enum CodingKeys: String, CodingKey {
        case index, count, configurations, sweepConfigurations = "sweep_configurations", trials, sweepTrials = "sweep_trials"
    }

    public init(_ shard: Shard, of sweep: SweepPlan) {
        let part = sweep.restricted(to: shard)
        index = shard.index
        count = shard.count
        configurations = part.configurations.count
        sweepConfigurations = sweep.configurations.count
        trials = part.totalTrials
        sweepTrials = sweep.totalTrials
    }
}
