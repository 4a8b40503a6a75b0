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

    public init(plan: SweepPlan, output: RunDirectory, progress: any ProgressReporter) {
        self.plan = plan
        self.output = output
        self.progress = progress
    }

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
        let decoder = JSONDecoder()
        let watchdog = Self.watchdog(spec, plan.profile)
        while next < trials {
            let child = try ChildProcess(arguments: childArguments(spec, firstTrial: next, trials: trials - next))
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
            if !stoppedCleanly && next < trials {
                // killed by the watchdog or crashed in the middle of trial `next`: it counts as hung
                try record(killedTrial(spec, next), into: &summary)
                next += 1
            }
        }
        return true
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
