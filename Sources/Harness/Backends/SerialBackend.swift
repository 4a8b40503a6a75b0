#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IOWQ

/// A backend whose trials run one after another inside its child (the model pool, the live
/// kernel): the child pays its cold start once, reports each trial as it ends, and stops after a
/// trial whose pool did not exit, so abandoned threads never share a process with the next trial.
protocol SerialBackend: Backend {}

extension SerialBackend {
    func launch(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                scratch: String) throws -> any ChildLaunch {
        SerialLaunch(spec: spec, trials: trials, baseSeed: baseSeed, profile: profile)
    }

    func runChild(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                  context: ChildContext) -> Int32 {
        warmUp(spec, baseSeed: baseSeed, profile: profile)
        for trial in firstTrial..<(firstTrial + trials) {
            let result = TrialRunner.timed(spec, trial: trial, baseSeed: baseSeed, profile: profile)
            guard ChildMain.report(result) else { return 1 }
            if result.exitHung { return ChildMain.poisonedStatus }
        }
        return 0
    }

    /// A fresh process's first trial pays for its cold start (code pages, the allocator's first
    /// arenas, the first thread stacks), and it was every child's trial 0: the worst sample of many
    /// rows. One untimed first-worker trial of the same strategy, with no signal and no fault (so
    /// it cannot hang), pays it instead and is thrown away.
    func warmUp(_ spec: ConfigurationSpec, baseSeed: UInt64, profile: Profile) {
        _ = runTrial(ConfigurationSpec(strategy: spec.strategy, scenario: .firstWorker), trial: 0,
                     seed: TrialRunner.seed(base: baseSeed, trial: 0), profile: profile)
    }
}

/// The parent's side of a serial child: silent past the watchdog means killed, and a trial it did
/// not report is hung (killed) or crashed (died by a signal of its own).
final class SerialLaunch: ChildLaunch {
    let spec: ConfigurationSpec
    let trials: Int
    let profile: Profile
    let looks: [Duration]

    init(spec: ConfigurationSpec, trials: Int, baseSeed: UInt64, profile: Profile) {
        self.spec = spec
        self.trials = trials
        self.profile = profile
        looks = [Self.watchdog(spec, profile)]
    }

    var environment: [String: String] { [:] }
    var forwardsStandardError: Bool { true }
    func look() {}

    /// How long one trial may go without a word before its child is killed: far beyond every
    /// deadline inside the trial.
    static func watchdog(_ spec: ConfigurationSpec, _ profile: Profile) -> Duration {
        var work = profile.itemDeadline
        if spec.scenario.shape.isOpenLoop { work += profile.steadyDuration }
        return work + profile.exitDeadline * 4 + .seconds(10)
    }

    func owed(_ trial: Int, seed: UInt64, _ death: ChildDeath) -> TrialResult? {
        if case .exited(let status, _) = death, status == 0 || status == ChildMain.poisonedStatus {
            return nil  // it stopped after an exit hang: the rest run in a fresh child
        }
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        result.items.submitted = Workload.itemCount(spec.scenario, profile: profile, seed: seed)
        switch death {
        case .crashed(let signal, let message):
            // the child reports a trial whole, so none of its items is known to have completed
            result.items.crashed = result.items.submitted
            result.crashSignal = signal
            result.crashMessage = message
        case .killed, .exited:
            // killed by the watchdog, or failed, in the middle of the trial: it counts as hung
            result.killed = true
            result.exitHung = true
            result.items.hung = result.items.submitted
            result.hangKind = .unknown  // the child that could have looked is gone
        }
        return result
    }
}
