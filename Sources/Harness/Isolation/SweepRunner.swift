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
                progress.stopped()
                return (summaries, true)
            }
            summary.wallSeconds = Double(monotonicNanoseconds() - started) / 1e9
            try output.append(summary)
            summaries.append(summary)
            progress.configurationFinished(summary, seconds: summary.wallSeconds)
        }
        return (summaries, false)
    }

    /// nil when a stop was requested before the configuration finished.
    private func runConfiguration(_ spec: ConfigurationSpec) throws -> ConfigurationSummary? {
        var summary = ConfigurationSummary(spec)
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

    /// Runs trials `next..<trials` in child processes; false when a stop was requested.
    private func runTrials(_ spec: ConfigurationSpec, from next: inout Int, to trials: Int,
                           into summary: inout ConfigurationSummary) throws -> Bool {
        if let reason = Applicability.reason(spec) {
            // nothing to run: every trial says why, and no child is started
            while next < trials {
                var result = TrialResult(spec: spec, trial: next, seed: TrialRunner.seed(base: plan.seed, trial: next))
                result.note = reason
                try record(result, into: &summary)
                next += 1
            }
            return true
        }
        if case .peer = spec.strategy.kind {
            while next < trials {
                guard let result = try runPeerTrial(spec, next) else { return false }
                try record(result, into: &summary)
                next += 1
            }
            return true
        }
        let decoder = JSONDecoder()
        let watchdog = Self.watchdog(spec, plan.profile)
        let standardError = scratch + "/child.err"
        while next < trials {
            let child = try ChildProcess(arguments: childArguments(spec, firstTrial: next, trials: trials - next),
                                         environment: Self.childEnvironment, standardError: standardError)
            var silent = false
            reading: while true {
                switch child.readLine(until: .after(watchdog)) {
                case .line(let line):
                    guard let result = try? decoder.decode(TrialResult.self, from: Data(line.utf8)) else { continue }
                    try record(result, into: &summary)
                    next += 1
                case .end:
                    break reading
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
            let stoppedCleanly = !silent && (status == 0 || status == ChildMain.poisonedStatus)
            if !silent, let signal = child.terminatingSignal, next < trials {
                // died by a signal of its own in the middle of trial `next`: crashed, not hung
                try record(Self.crashedTrial(spec, next, baseSeed: plan.seed, profile: plan.profile, signal: signal,
                                             message: PeerLaunch.lastLine(standardError)), into: &summary)
                next += 1
            } else {
                forward(standardError)
                if !stoppedCleanly && next < trials {
                    // killed by the watchdog in the middle of trial `next`: it counts as hung
                    try record(killedTrial(spec, next), into: &summary)
                    next += 1
                }
            }
        }
        return true
    }

    /// The children's environment beyond this process's: no backtrace on a crash, so a trap ends
    /// at once and its message is the last line of standard error.
    static let childEnvironment = ["SWIFT_BACKTRACE": "enable=no"]

    /// One peer trial in a child of its own with the interposer preloaded; nil when a stop was
    /// requested. The parent's watchdog, not a thread in the peer's process, ends a child trapped
    /// inside its pool.
    private func runPeerTrial(_ spec: ConfigurationSpec, _ trial: Int) throws -> TrialResult? {
        let seed = TrialRunner.seed(base: plan.seed, trial: trial)
        let page = scratch + "/peer.page"
        let standardError = scratch + "/peer.err"
        try? FileManager.default.removeItem(atPath: page)
        guard let shared = PeerProgress(path: page) else { throw OutputError.cannotWrite(page, "cannot map it") }
        let library = try PeerLaunch.library()
        let environment = Self.childEnvironment.merging(PeerLaunch.environment(spec, seed: seed, library: library, page: page)) { $1 }
        let child = try ChildProcess(arguments: childArguments(spec, firstTrial: trial, trials: 1),
                                     environment: environment, standardError: standardError)
        let started = Deadline.now()
        let timeline = PeerLaunch.timeline(spec, plan.profile)
        var reported: TrialResult?
        var attemptsAtSample: UInt64?
        var silent = false
        reading: while true {
            let until = attemptsAtSample == nil ? timeline.sample : timeline.kill
            switch child.readLine(until: Deadline(nanoseconds: started.nanoseconds &+ until.nanoseconds)) {
            case .line(let line):
                reported = reported ?? (try? JSONDecoder().decode(TrialResult.self, from: Data(line.utf8)))
            case .end:
                break reading
            case .timedOut where attemptsAtSample == nil:
                attemptsAtSample = shared.load(.attempts)
            case .timedOut:
                silent = true
                child.kill()
                break reading
            case .stopped:
                child.kill()
                return nil
            }
        }
        child.wait()
        if let reported { return reported }
        let signal = silent ? nil : child.terminatingSignal
        if !silent && signal == nil {
            // exited without a result: a child that could not run the trial says why on stderr
            var result = TrialResult(spec: spec, trial: trial, seed: seed)
            result.note = "not run: the peer's child exited without a result: \(PeerLaunch.lastLine(standardError) ?? "no message")"
            return result
        }
        return PeerLaunch.unreported(spec, trial: trial, seed: seed, profile: plan.profile, progress: shared,
                                     attemptsAtSample: attemptsAtSample, crashSignal: signal,
                                     crashMessage: signal == nil ? nil : PeerLaunch.lastLine(standardError))
    }

    /// Passes on what a child that did not crash wrote to standard error.
    private func forward(_ path: String) {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return }
        FileHandle.standardError.write(data)
    }

    /// A model trial whose child died by `signal` before reporting it: every item crashed (the child
    /// reports a trial whole, so none is known to have completed), none hung.
    static func crashedTrial(_ spec: ConfigurationSpec, _ trial: Int, baseSeed: UInt64, profile: Profile, signal: Int32,
                             message: String?) -> TrialResult {
        let seed = TrialRunner.seed(base: baseSeed, trial: trial)
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        result.items.submitted = Workload.itemCount(spec.scenario, profile: profile, seed: seed)
        result.items.crashed = result.items.submitted
        result.crashSignal = signal
        result.crashMessage = message
        return result
    }

    private func record(_ result: TrialResult, into summary: inout ConfigurationSummary) throws {
        try output.append(result)
        summary.add(result)
        progress.trialFinished(result)
    }

    private func killedTrial(_ spec: ConfigurationSpec, _ trial: Int) -> TrialResult {
        let seed = TrialRunner.seed(base: plan.seed, trial: trial)
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        result.killed = true
        result.exitHung = true
        result.items.submitted = Workload.itemCount(spec.scenario, profile: plan.profile, seed: seed)
        result.items.hung = result.items.submitted
        result.hangKind = .unknown  // the child that could have looked is gone
        return result
    }

    private func childArguments(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int) -> [String] {
        ["child", "--strategy", spec.strategy.name, "--scenario", spec.scenario.description,
         "--signals", spec.signals.description, "--faults", spec.faults.description,
         "--profile", plan.profile.name, "--first-trial", String(firstTrial), "--trials", String(trials),
         "--seed", String(plan.seed)]
    }

    /// How long one trial may go without a word before its child is killed: far beyond every
    /// deadline inside the trial.
    static func watchdog(_ spec: ConfigurationSpec, _ profile: Profile) -> Duration {
        var work = profile.itemDeadline
        if spec.scenario.shape.isOpenLoop { work += profile.steadyDuration }
        return work + profile.exitDeadline * 4 + .seconds(10)
    }
}
