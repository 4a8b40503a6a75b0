import Foundation
import IOWQ

/// What a sweep runs: configurations, each for its trials, seeded from `seed`.
public struct SweepPlan: Sendable {
    public var configurations: [ConfigurationSpec]
    /// The same count for every configuration (--trials); nil: the profile's, more on its rate sweep.
    public var trials: Int?
    public var seed: UInt64
    public var profile: Profile
    /// Run on past the first trials until the stuck rate is this precise (nil: a fixed count).
    public var precision: Precision?

    public init(configurations: [ConfigurationSpec], trials: Int?, seed: UInt64, profile: Profile, precision: Precision? = nil) {
        self.configurations = configurations
        self.trials = trials
        self.seed = seed
        self.profile = profile
        self.precision = precision
    }

    public func trials(for spec: ConfigurationSpec) -> Int { trials ?? profile.trials(for: spec) }

    /// What `--trials` takes (every command that runs trials): a hundred thousand trials of one
    /// configuration are hours of work.
    public static let trialCounts = Bound<Int>(1...100_000, "trials per configuration")
    /// What `--seed` takes.
    public static let seeds = Bound<UInt64>(0...UInt64.max, "a seed")

    /// Trials over the whole sweep.
    public var totalTrials: Int { configurations.reduce(0) { $0 + trials(for: $1) } }
}

/// The parent side of isolation: every configuration runs in child processes (this program run
/// again), one trial after another. A child that stops answering is killed and its trial recorded
/// as hung; a child that stops after an exit hang is replaced for the remaining trials. Nothing a
/// pool does can hang the sweep or leak into the configurations after it.
public final class SweepRunner {
    let plan: SweepPlan
    let output: RunDirectory
    let progress: any ProgressReporter

    /// A folder of this process's own for the children's standard error and the peers' shared
    /// pages; removed when the sweep ends.
    private let scratch: String

    public init(plan: SweepPlan, output: RunDirectory, progress: any ProgressReporter) throws(OutputError) {
        self.plan = plan
        self.output = output
        self.progress = progress
        var template = Array("\(FileManager.default.temporaryDirectory.path)/iowq-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw .cannotWrite("a temporary folder", String(cString: strerror(errno))) }
        scratch = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    /// Runs the plan; returns the summaries of the configurations that finished, and whether a stop
    /// (SIGINT/SIGTERM) cut it short.
    public func run() throws -> (summaries: [ConfigurationSummary], stopped: Bool) {
        var summaries: [ConfigurationSummary] = []
        for (index, spec) in plan.configurations.enumerated() {
            progress.configurationStarted(index: index, of: plan.configurations.count, spec.label, trials: plan.trials(for: spec))
            let started = monotonicNanoseconds()
            guard var summary = try runConfiguration(spec) else {
                try output.finishRecords()
                progress.stopped()
                return (summaries, true)
            }
            summary.wallSeconds = Double(monotonicNanoseconds() - started) / 1e9
            try output.append(summary)
            summaries.append(summary)
            progress.configurationFinished(summary, seconds: summary.wallSeconds)
        }
        try output.finishRecords()
        return (summaries, false)
    }

    /// nil when a stop was requested before the configuration finished.
    private func runConfiguration(_ spec: ConfigurationSpec) throws -> ConfigurationSummary? {
        var summary = ConfigurationSummary(spec)
        if let reason = Applicability.reason(spec) {
            // nothing to run: no child is started and no trial written; the row says why, with 0 trials
            summary.note = reason
            summary.stopReason = .notApplicable
            return summary
        }
        var next = 0
        let started = monotonicNanoseconds()
        var trials = plan.trials(for: spec)
        while true {
            guard try runTrials(spec, from: &next, to: trials, into: &summary) else { return nil }
            guard let precision = plan.precision else {
                summary.stopReason = .trials
                return summary
            }
            let elapsed = Duration.nanoseconds(Int64(monotonicNanoseconds() - started))
            if let reason = precision.stopReason(summary, trials: next, elapsed: elapsed) {
                summary.stopReason = reason
                return summary
            }
            trials = next + precision.nextBatch(summary, trials: next)
            progress.configurationExtended(trials: trials)
        }
    }

    /// Runs trials `next..<trials` in child processes of the row's backend; false when a stop was
    /// requested.
    private func runTrials(_ spec: ConfigurationSpec, from next: inout Int, to trials: Int,
                           into summary: inout ConfigurationSummary) throws -> Bool {
        let backend = spec.strategy.backend
        let decoder = JSONDecoder()
        let standardError = scratch + "/child.err"
        while next < trials {
            let launch = try backend.launch(spec, firstTrial: next, trials: trials - next, baseSeed: plan.seed,
                                            profile: plan.profile, scratch: scratch)
            let end = next + min(launch.trials, trials - next)
            let child = try ChildProcess(arguments: childArguments(spec, firstTrial: next, trials: end - next),
                                         environment: Self.childEnvironment.merging(launch.environment) { $1 },
                                         standardError: standardError)
            // the looks are counted from the child's last word
            var heard = Deadline.now()
            var looked = 0
            var silent = false
            reading: while true {
                let look = launch.looks[looked]
                switch child.readLine(until: Deadline(nanoseconds: heard.nanoseconds &+ look.nanoseconds)) {
                case .line(let line):
                    guard let result = try? decoder.decode(TrialResult.self, from: Data(line.utf8)) else { continue }
                    try record(result, sent: Array(line.utf8), into: &summary)
                    next += 1
                    heard = .now()
                    looked = 0
                case .end:
                    break reading
                case .timedOut where looked + 1 < launch.looks.count:
                    launch.look()
                    looked += 1
                case .timedOut:
                    silent = true
                    child.kill()
                    break reading
                case .stopped:
                    child.kill()
                    return false
                }
            }
            let status = child.wait()
            let signal = silent ? nil : child.terminatingSignal
            if signal == nil && launch.forwardsStandardError { forward(standardError) }
            guard next < end else { continue }
            let death: ChildDeath = if silent { .killed }
                else if let signal { .crashed(signal: signal, message: ChildProcess.lastLine(standardError)) }
                else { .exited(status: status, message: ChildProcess.lastLine(standardError)) }
            // died in the middle of trial `next`: killed counts as hung, a signal of its own as crashed
            if let owed = launch.owed(next, seed: TrialRunner.seed(base: plan.seed, trial: next), death) {
                try record(owed, into: &summary)
                next += 1
            }
        }
        return true
    }

    /// The children's environment beyond this process's: no backtrace on a crash, so a trap ends
    /// at once and its message is the last line of standard error.
    static let childEnvironment = ["SWIFT_BACKTRACE": "enable=no"]

    /// Passes on what a child that did not crash wrote to standard error.
    private func forward(_ path: String) {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return }
        FileHandle.standardError.write(data)
    }

    /// `sent`: the child's JSON line, kept as it is in trials.jsonl.
    private func record(_ result: TrialResult, sent: [UInt8]? = nil, into summary: inout ConfigurationSummary) throws {
        try output.append(result, sent: sent)
        summary.add(result)
        progress.trialFinished(result)
    }

    private func childArguments(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int) -> [String] {
        ["child", "--strategy", spec.strategy.name, "--scenario", spec.scenario.description,
         "--signals", spec.signals.description, "--faults", spec.faults.description,
         "--profile", plan.profile.name, "--first-trial", String(firstTrial), "--trials", String(trials),
         "--seed", String(plan.seed)]
    }
}
