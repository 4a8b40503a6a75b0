#if canImport(Glibc)
import Glibc
#endif
import IOWQ

/// Which upstream preset the live kernel's io-wq behaves like, from its behaviour alone (not its
/// version number): a request whose every worker creation meets a pending signal is
///
/// - cancelled at once, after 3 retries back to back: `retry-6.11` (WORKER_INIT_LIMIT, 0453aad676ff);
/// - cancelled after the backoff, 3 retries 5, 10 and 15 ms apart rounded up to jiffies (30 ms at
///   HZ 1000, 36-48 at HZ 250): `retry-6.14` (13918315c5dc);
/// - never cancelled, and completed as soon as the storm stops (or never given back while it lasts):
///   `retry-5.16`, no retry limit, retries back to back;
/// - never cancelled, and completed only a while after the storm stops, when the growing backoff
///   runs out: `retry-6.19` (34c78b8610a9: ERESTART* retried without limit, with the backoff).
///
/// Kernels before the seed's fix, or ones that fail differently, get no preset and say why.
///
/// Beside the retry ladder it records how the kernel activates a free worker (ActivationProbe):
/// `woken-only` before 22f7fb80e6d9 (6.6), `any-on-free-list` from it; this is what tells Debian's
/// 6.1 (a retry limit backported, the old activation) from the 6.11 preset.
public struct LineageFingerprint: Codable, Sendable {
    /// The preset the behaviour matches; nil when the evidence names none.
    public var preset: String?
    public var reason: String
    /// The free-worker activation the activation probe showed; nil when it showed none (or none ran).
    public var activation: ActivationProbe.Activation?
    public var activationReason: String?
    public var kernelRelease: String
    /// The preset the release's version number places it at (StrategyCatalog.presets(bracketing:)),
    /// for comparison only: the verdict never looks at it.
    public var byVersion: String?
    public var evidence: Evidence

    enum CodingKeys: String, CodingKey {
        case preset, reason, kernelRelease = "kernel_release", byVersion = "by_version", evidence
        case activation, activationReason = "activation_reason"
    }

    /// The trials and how they were made.
    public struct Evidence: Codable, Sendable {
        public var trials: [LineageProbe.Trial]
        /// The activation probe's trials (nil in records made before it existed).
        public var activationTrials: [ActivationProbe.Trial]?
        public var signal = "SIGUSR1 (handler, no SA_RESTART)"
        public var cycleUs = Int(LineageProbe.cycleMicroseconds)
        public var stormMs = Int(LineageProbe.stormMilliseconds)
        public var settleMs = Int(LineageProbe.settleMilliseconds)

        public init(trials: [LineageProbe.Trial], activationTrials: [ActivationProbe.Trial]? = nil) {
            self.trials = trials
            self.activationTrials = activationTrials
        }

        enum CodingKeys: String, CodingKey {
            case trials, activationTrials = "activation_trials", signal, cycleUs = "cycle_us", stormMs = "storm_ms", settleMs = "settle_ms"
        }

        var storm: [LineageProbe.Trial] { trials.filter { !$0.control && $0.outcome != .setupFailed } }
        var controls: [LineageProbe.Trial] { trials.filter { $0.control && $0.outcome != .setupFailed } }
        /// Controls whose request completed ok, however long it took.
        var completedControls: [LineageProbe.Trial] {
            controls.filter { [.completedInStorm, .completedAfterStorm].contains($0.outcome) && $0.result == 0 }
        }
        func count(_ outcome: LineageProbe.Outcome) -> Int { storm.filter { $0.outcome == outcome }.count }

        /// For people: the storm trials by outcome, with medians, and the controls.
        public var summary: String {
            var parts: [String] = []
            let cancelled = storm.filter { $0.outcome == .cancelled }
            if !cancelled.isEmpty {
                let cycles = LineageFingerprint.median(cancelled.compactMap { $0.cycles.map(Double.init) }).map { ", \(Format.fixed($0, 0)) cycles" } ?? ""
                parts.append("cancelled \(cancelled.count) (\(Self.spread(cancelled.compactMap(\.outcomeMs))) after the first failed creation\(cycles))")
            }
            let after = storm.filter { $0.outcome == .completedAfterStorm }
            if !after.isEmpty { parts.append("completed after the storm \(after.count) (\(Self.spread(after.compactMap(\.afterStormMs))) after it stopped)") }
            for outcome in [LineageProbe.Outcome.completedInStorm, .otherError, .noCompletion, .killed] where count(outcome) > 0 {
                parts.append("\(outcome.rawValue) \(count(outcome))")
            }
            let failed = trials.filter { $0.outcome == .setupFailed }.count
            if failed > 0 { parts.append("setup failed \(failed)") }
            let controlsDone = completedControls
            let controlLine = "controls without a signal: \(controlsDone.count) of \(controls.count) completed"
                + (controlsDone.isEmpty ? "" : " (\(Self.spread(controlsDone.compactMap(\.outcomeMs))))")
            let realtime = storm.allSatisfy { $0.realtime == true } ? ", SCHED_FIFO on one CPU" : storm.contains { $0.realtime == false } ? ", not real-time (no SCHED_FIFO)" : ""
            return "\(storm.count) storm trials (\(stormMs) ms of \(signal), held \(cycleUs) us per cycle\(realtime)): "
                + (parts.isEmpty ? "none measured" : parts.joined(separator: ", ")) + "; " + controlLine
        }

        /// "median 47.1 ms, 46.6-57.4".
        static func spread(_ values: [Double]) -> String {
            guard let median = median(values) else { return "" }
            let range = values.count > 1 ? ", \(Format.fixed(values.min()!, 1))-\(Format.fixed(values.max()!, 1))" : ""
            return "median \(Format.fixed(median, 1)) ms" + range
        }
    }

    /// Thresholds of the verdict. 6.11's three retries take one storm cycle each (each retry's
    /// task_work runs when a cycle ends: 4 cycles with the first failure, 3 ms on Debian's 6.1
    /// under TCG, so cycles count too); 6.14's backoff is wall time, at least 30 ms (HZ 1000), about 70 at HZ 100.
    /// After the storm, 5.16 completes as fast as a control trial does, 6.19 only when its current
    /// backoff (45-50 ms after 250 ms of retries) runs out.
    static let backToBackLimitMs = 15.0
    static let backToBackCycles = 8.0
    static let backoffRangeMs = 20.0...150.0
    static let growingBackoffMs = 8.0
    /// The share of storm trials that must agree.
    static let agreement = 0.8

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The preset the evidence matches, and why; nil with the reason when it matches none.
    public static func classify(_ evidence: Evidence) -> (preset: String?, reason: String) {
        let storm = evidence.storm
        let n = storm.count
        guard n > 0 else {
            let errno = evidence.trials.compactMap(\.setupErrno).first.map { " (errno \($0): \(String(cString: strerror(Int32($0)))))" } ?? ""
            return (nil, "nothing measured: no storm trial could be set up\(errno)")
        }
        if !evidence.controls.isEmpty && evidence.completedControls.isEmpty {
            return (nil, "without a signal the request did not complete either: the probe shows nothing about retries here")
        }
        func share(_ count: Int) -> Double { Double(count) / Double(n) }
        let cancelled = evidence.count(.cancelled)
        let inStorm = evidence.count(.completedInStorm)
        let after = evidence.count(.completedAfterStorm)
        let stuck = evidence.count(.killed) + evidence.count(.noCompletion)
        if share(inStorm) >= 0.5 {
            return (nil, "\(inStorm) of \(n) requests completed during the storm: creation got past the signals, so the probe did not hold")
        }
        if share(cancelled) >= agreement, let m = median(storm.filter { $0.outcome == .cancelled }.compactMap(\.outcomeMs)) {
            let when = "\(cancelled) of \(n) requests cancelled (-ECANCELED) a median \(Format.fixed(m, 1)) ms after the first failed creation"
            let cycles = median(storm.filter { $0.outcome == .cancelled }.compactMap { $0.cycles.map(Double.init) }) ?? .infinity
            if m < backToBackLimitMs || cycles <= backToBackCycles {
                return ("retry-6.11", when + ", in \(Format.fixed(cycles, 0)) storm cycles (the first failure and 3 retries each come back in a cycle of their own): 3 retries back to back, then cancel (a retry limit, no backoff)")
            }
            if backoffRangeMs.contains(m) {
                return ("retry-6.14", when + ": 3 retries waiting 5, 10 and 15 ms (rounded up to jiffies), then cancel (a retry limit with backoff)")
            }
            return (nil, when + ": neither 3 retries back to back (under \(Format.fixed(backToBackLimitMs, 0)) ms) nor the 6.14 backoff (\(Format.fixed(backoffRangeMs.lowerBound, 0))-\(Format.fixed(backoffRangeMs.upperBound, 0)) ms)")
        }
        if cancelled == 0 && share(after + stuck) >= agreement {
            let never = "none of \(n) requests cancelled under a \(evidence.stormMs) ms storm"
            if stuck > after {
                return ("retry-5.16", never + ", and \(stuck) never came back while signals kept coming: retried back to back without limit")
            }
            let m = median(storm.filter { $0.outcome == .completedAfterStorm }.compactMap(\.afterStormMs)) ?? 0
            let control = median(evidence.completedControls.compactMap(\.outcomeMs)) ?? 0
            let when = never + "; they completed a median \(Format.fixed(m, 1)) ms after it stopped (a control without signals: \(Format.fixed(control, 1)) ms)"
            if m - control >= growingBackoffMs {
                return ("retry-6.19", when + ": retried without limit, each retry waiting a growing backoff")
            }
            return ("retry-5.16", when + ": retried back to back without limit, for as long as signals came")
        }
        return (nil, "mixed: of \(n) requests \(cancelled) cancelled, \(after) completed after the storm, \(stuck) never completed, \(inStorm) completed during it")
    }

    /// The verdict on `trials` (and the activation probe's `activationTrials`) measured on this machine.
    public init(trials: [LineageProbe.Trial], activationTrials: [ActivationProbe.Trial]? = nil,
                kernelRelease: String = HostIdentity.current.kernelRelease) {
        evidence = Evidence(trials: trials, activationTrials: activationTrials)
        (preset, reason) = Self.classify(evidence)
        if let activationTrials { (activation, activationReason) = ActivationProbe.classify(activationTrials) }
        if let activation, let ladder = preset, let other = Self.preset(withLadderOf: ladder, activation: activation), other != ladder {
            // the same retry ladder with the other activation: Debian's 6.1 is 6.11's ladder, woken-only
            preset = other
            reason += "; free-worker activation \(activation.rawValue): \(other), not \(ladder)"
        }
        self.kernelRelease = kernelRelease
        byVersion = StrategyCatalog.preset(suggestedBy: kernelRelease)?.name
    }

    /// The lineage preset with the retry ladder of `name` (limit, backoff, what the limit counts)
    /// and `activation`; nil when there is none.
    static func preset(withLadderOf name: String, activation: ActivationProbe.Activation) -> String? {
        let presets = RetryViaWorkqueue.lineage.map(\.strategy)
        guard let ladder = presets.first(where: { $0.name == name }) else { return nil }
        return presets.first { candidate in
            candidate.retryLimit == ladder.retryLimit && candidate.backoffStep == ladder.backoffStep
                && candidate.boundsOnlyEAGAIN == ladder.boundsOnlyEAGAIN && candidate.freeWorkerActivation.rawValue == activation.modelName
        }?.name
    }

    /// The verdict, its reason, the evidence and the version's preset beside it, for the terminal.
    public var report: String {
        var lines = ["lineage fingerprint of \(kernelRelease): \(preset ?? "no preset")", "  why: \(reason)", "  evidence: \(evidence.summary)"]
        if let activationReason { lines.append("  free-worker activation: \(activation?.rawValue ?? "not told apart"): \(activationReason)") }
        if let byVersion {
            let agreement = preset == nil ? "" : preset == byVersion ? " (agrees)" : " (DISAGREES with the behaviour)"
            lines.append("  by its version number the release would be \(byVersion)\(agreement)")
        }
        return lines.joined(separator: "\n")
    }
}

extension LineageFingerprint {
    /// What one fingerprint measures, and how much of it.
    public struct Plan: Sendable {
        public var controls: Int
        public var trials: Int
        /// Activation trials (`ActivationProbe`); 0 leaves the activation untold.
        public var activationTrials: Int

        public init(controls: Int, trials: Int, activationTrials: Int) {
            self.controls = controls
            self.trials = trials
            self.activationTrials = activationTrials
        }

        /// `bench fingerprint`'s defaults, and what `bench fidelity --fingerprint` takes.
        public static let standard = Plan(controls: 2, trials: 10, activationTrials: 5)

        public var description: String {
            "\(controls) controls, \(trials) storm trials and \(activationTrials) activation trials"
        }
    }

    /// Takes the fingerprint of the running kernel: the storm trials, then the activation trials,
    /// each in a child process of `executable`; `progress` hears of each as it ends.
    public static func measure(_ plan: Plan, executable: String = "/proc/self/exe",
                               progress: (String) -> Void = { _ in }) throws -> LineageFingerprint {
        let total = plan.controls + plan.trials
        let measured = try LineageProbe.measure(trials: plan.trials, controls: plan.controls, executable: executable) { index, trial in
            let when = trial.outcomeMs.map { " after \($0) ms" } ?? ""
            let after = trial.afterStormMs.map { " (\($0) ms after the storm)" } ?? ""
            progress("[\(index + 1)/\(total)] \(trial.control ? "control" : "storm"): \(trial.outcome.rawValue)\(when)\(after)")
        }
        var activation: [ActivationProbe.Trial]? = nil
        if plan.activationTrials > 0 {
            let trials = try ActivationProbe.measure(trials: plan.activationTrials, executable: executable)
            for (index, trial) in trials.enumerated() {
                let count = trial.createdInEnter.map { "\($0) workers created by the enter of \(trial.requests)" } ?? "not measured"
                progress("[activation \(index + 1)/\(plan.activationTrials)] \(count)\(trial.held ? "" : " (workers not held off the CPU)")")
            }
            activation = trials
        }
        return LineageFingerprint(trials: measured, activationTrials: activation)
    }
}
