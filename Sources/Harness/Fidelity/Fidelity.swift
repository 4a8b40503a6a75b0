import IOWQ

/// The model against the live kernel on the same work: chains and bursts of blocking items under
/// timed signals, the kernel row beside the lineage preset that models the running kernel (and the
/// next preset, whose fix the kernel lacks), with a verdict per row.
public enum Fidelity {
    public static let scenarios: [Scenario] = [.chain(16), .burst(64)]
    public static let schedules: [SignalSchedule] = [.periodic(perSecond: 1000), .periodic(perSecond: 10000),
                                                     .periodic(perSecond: 100_000), .poisson(perSecond: 10000)]
    public static let trials = 100

    /// The presets to compare the running kernel with, and a line that says so: the preset it
    /// behaves like when a fingerprint names one (a stable kernel may carry later fixes than its
    /// version number: Debian's 6.1 has 6.11's retry limit), else the newest one its release
    /// contains; and the preset after that, whose fix is what the kernel lacks.
    public static func presets(behavingLike fingerprint: LineageFingerprint? = nil) -> (models: StrategyEntry?, next: StrategyEntry?, line: String) {
        let running = KernelVersion.running
        let lineage = StrategyCatalog.lineage
        if let name = fingerprint?.preset, let index = lineage.firstIndex(where: { $0.name == name }) {
            let next = index + 1 < lineage.count ? lineage[index + 1] : nil
            let version = fingerprint?.byVersion.map { $0 == name ? ", as its version suggests" : "; its version suggests \($0)" } ?? ""
            return (lineage[index], next, "Linux \(running.release): behaves like \(name) (its fingerprint)\(version)\(next.map { ", \($0.name) has the next fix" } ?? "")")
        }
        guard let version = running.version else { return (nil, nil, "Linux \(running.release): release not understood") }
        let presets = StrategyCatalog.presets(bracketing: version)
        let models = presets.models.map { "\($0.name) models it" } ?? "no preset is as old"
        let next = presets.next.map { ", \($0.name) has the next fix" } ?? ""
        let unnamed = fingerprint.map { _ in " (its fingerprint names no preset)" } ?? ""
        return (presets.models, presets.next, "Linux \(running.release): \(models) by its version\(unnamed)\(next)")
    }

    /// The kernel row first, then the presets, for every scenario and schedule.
    public static func configurations(_ strategies: [StrategyEntry]) -> [ConfigurationSpec] {
        scenarios.flatMap { scenario in
            schedules.flatMap { signals in
                strategies.map { ConfigurationSpec(strategy: $0, scenario: scenario, signals: signals) }
            }
        }
    }

    /// The presets a fidelity run compares its kernel rows with, by name (meta.json's
    /// `fidelity_presets`).
    public struct Presets: Codable, Sendable {
        public var models: String?
        public var next: String?
        public init(models: String?, next: String?) {
            self.models = models
            self.next = next
        }
    }

    /// The rows of a finished fidelity run rebuilt from its typed records (summary.jsonl,
    /// trials.jsonl) and the presets its meta.json names; nil for a folder without them.
    static func rows(recordsIn folder: String, presets: Presets?) -> [Row]? {
        guard let presets, let summaries = RecordFile<ConfigurationSummary>.read(folder + "/" + RunDirectory.summaryRecordsName),
              let trials = RecordFile<TrialResult>.read(folder + "/" + RunDirectory.trialRecordsName) else { return nil }
        return rows(summaries: summaries, kernelTrials: trials.filter { $0.strategy == StrategyCatalog.kernel.name },
                    models: presets.models, next: presets.next)
    }

    /// One line of the comparison: a kernel row (all its trials, or those with or without
    /// SA_RESTART) beside the presets' rows of the same configuration.
    public struct Row: Sendable {
        public var scenario: String
        public var signals: String
        /// "all", "yes" or "no": which of the kernel's trials.
        public var saRestart: String
        public var kernel: ConfigurationSummary
        public var model: ConfigurationSummary?
        public var next: ConfigurationSummary?
        /// Nil where a side counted no trial (its schedule never acted): nothing to compare.
        public var verdict: FidelityVerdict? {
            guard let model, kernel.ran, model.ran else { return nil }
            return FidelityVerdict(kernel: kernel, model: model)
        }
    }

    /// The rows of a finished sweep, from its summaries and its kernel trials.
    public static func rows(summaries: [ConfigurationSummary], kernelTrials: [TrialResult],
                            models: String?, next: String?) -> [Row] {
        summaries.filter { $0.strategy == StrategyCatalog.kernel.name }.flatMap { kernel -> [Row] in
            func peer(_ name: String?) -> ConfigurationSummary? {
                summaries.first { $0.strategy == name && $0.scenario == kernel.scenario && $0.signals == kernel.signals }
            }
            var halves: [(String, ConfigurationSummary)] = [("all", kernel)]
            for restart in [true, false] {
                var half = ConfigurationSummary(key: kernel.key)
                for trial in kernelTrials where trial.scenario == kernel.scenario && trial.signals == kernel.signals && trial.saRestart == restart {
                    half.add(trial)
                }
                halves.append((restart ? "yes" : "no", half))
            }
            return halves.map { Row(scenario: kernel.scenario, signals: kernel.signals, saRestart: $0.0, kernel: $0.1,
                                    model: peer(models), next: peer(next)) }
        }
    }
}

/// Forwards to another reporter and keeps the kernel's trials, which the comparison splits by
/// SA_RESTART.
public final class KernelTrialCollector: ProgressReporter {
    private let forward: any ProgressReporter
    public private(set) var trials: [TrialResult] = []

    public init(forwardingTo forward: any ProgressReporter) { self.forward = forward }

    public func configurationStarted(index: Int, of total: Int, _ label: String, trials: Int) {
        forward.configurationStarted(index: index, of: total, label, trials: trials)
    }
    public func configurationExtended(trials: Int) { forward.configurationExtended(trials: trials) }
    public func trialFinished(_ result: TrialResult) {
        if result.strategy == StrategyCatalog.kernel.name { trials.append(result) }
        forward.trialFinished(result)
    }
    public func configurationFinished(_ summary: ConfigurationSummary, seconds: Double) {
        forward.configurationFinished(summary, seconds: seconds)
    }
    public func stopped() { forward.stopped() }
}
