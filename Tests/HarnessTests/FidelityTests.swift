@testable import Harness
import IOWQ
import Testing

/// The running kernel's place in the lineage, and the verdict rule of `bench fidelity`.
@Suite struct FidelityTests {
    @Test func aReleaseIsPlacedBetweenThePresetsAroundIt() throws {
        let version = try #require(KernelVersion(parsing: "6.18.44-fc-v657"))
        #expect(version == KernelVersion(major: 6, minor: 18))
        let presets = StrategyCatalog.presets(bracketing: version)
        #expect(presets.models?.name == "retry-6.14")
        #expect(presets.next?.name == "retry-6.19")
        #expect(StrategyCatalog.presets(bracketing: KernelVersion(major: 5, minor: 10)).models == nil)
        #expect(StrategyCatalog.presets(bracketing: KernelVersion(major: 7, minor: 0)).next == nil)
        #expect(KernelVersion(parsing: "retry-6.11") == KernelVersion(major: 6, minor: 11))
        // the kernels the guests boot: Debian's 6.1 is retry-6.1; Debian's 6.12 carries the 6.14 backoff
        #expect(StrategyCatalog.preset(suggestedBy: "6.1.0-56-amd64")?.name == "retry-6.1")
        #expect(StrategyCatalog.presets(bracketing: KernelVersion(major: 6, minor: 1)).next?.name == "retry-6.11")
        #expect(StrategyCatalog.preset(suggestedBy: "6.12.117+deb12-amd64")?.name == "retry-6.14")
        #expect(StrategyCatalog.presets(bracketing: KernelVersion(major: 6, minor: 12)).next?.name == "retry-6.19")
        #expect(StrategyCatalog.presets(bracketing: KernelVersion(major: 6, minor: 11)).models?.name == "retry-6.11")
        #expect(KernelVersion(parsing: "unknown") == nil)
    }

    /// `stuck` of `trials` trials of one item each; the rest ok, or cancelled.
    func row(stuck: Int, of trials: Int, cancelled: Int = 0) -> ConfigurationSummary {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.kernel, scenario: .chain(16), signals: .periodic(perSecond: 10000))
        var row = ConfigurationSummary(spec)
        for index in 0..<trials {
            var trial = TrialResult(spec: spec, trial: index, seed: 1)
            trial.items.submitted = 1
            if index < stuck { trial.items.hung = 1 } else if index < stuck + cancelled { trial.items.cancelled = 1 } else { trial.items.ok = 1 }
            trial.counters = .zero
            row.add(trial)
        }
        return row
    }

    @Test func ratesAgreeWhenTheirIntervalsOverlapOrWithinAFactorOfTwo() {
        #expect(FidelityVerdict(kernel: row(stuck: 45, of: 100), model: row(stuck: 40, of: 100)).agrees)
        #expect(FidelityVerdict(kernel: row(stuck: 10, of: 100), model: row(stuck: 19, of: 100)).agrees, "within 2x")
        let apart = FidelityVerdict(kernel: row(stuck: 60, of: 100), model: row(stuck: 5, of: 100))
        #expect(!apart.agrees)
        #expect(apart.reason.hasPrefix("stuck 0.05 against 0.60"))
    }

    @Test func outcomeClassesMustRankTheSame() {
        let cancelledInstead = FidelityVerdict(kernel: row(stuck: 0, of: 100), model: row(stuck: 0, of: 100, cancelled: 60))
        #expect(!cancelledInstead.agrees)
        #expect(cancelledInstead.reason == "outcomes cancelled>ok against ok")
        // a class under 5% of the items is noise, not a different behaviour
        #expect(FidelityVerdict(kernel: row(stuck: 0, of: 100), model: row(stuck: 0, of: 100, cancelled: 4)).agrees)
    }

    /// A row whose schedule acted in none of its trials measured nothing: no verdict, rather than
    /// "disagree: outcomes ok against" (a TCG guest's burst under 1 kHz sent no signal in 2 trials).
    @Test func aSideThatMeasuredNothingGetsNoVerdict() {
        let nothing = ConfigurationSummary(ConfigurationSpec(strategy: StrategyCatalog.kernel, scenario: .burst(64), signals: .periodic(perSecond: 1000)))
        let measured = row(stuck: 0, of: 2)
        #expect(Fidelity.Row(scenario: "burst:64", signals: "periodic:1000", saRestart: "all", kernel: nothing, model: measured).verdict == nil)
        #expect(Fidelity.Row(scenario: "burst:64", signals: "periodic:1000", saRestart: "all", kernel: measured, model: nothing).verdict == nil)
        #expect(Fidelity.Row(scenario: "burst:64", signals: "periodic:1000", saRestart: "all", kernel: measured, model: measured).verdict?.agrees == true)
    }

    /// A kernel is compared with the preset it behaves like, not the one its version suggests:
    /// Debian's 6.1 cancels at once after 3 retries (6.11's limit, backported).
    @Test func aFingerprintChoosesThePresets() {
        let cancelledAtOnce = (0..<10).map { _ in LineageProbe.Trial(outcome: .cancelled, result: -125, outcomeMs: 3, stormMs: 3, cycles: 4) }
        let control = LineageProbe.Trial(outcome: .completedInStorm, control: true, result: 0, outcomeMs: 0.6, stormMs: 0.6, cycles: 2)
        let fingerprint = LineageFingerprint(trials: [control] + cancelledAtOnce, kernelRelease: "6.1.0-56-amd64")
        #expect(fingerprint.preset == "retry-6.11")
        let presets = Fidelity.presets(behavingLike: fingerprint)
        #expect(presets.models?.name == "retry-6.11")
        #expect(presets.next?.name == "retry-6.14")
        #expect(presets.line.contains("behaves like retry-6.11 (its fingerprint)"))
        #expect(Fidelity.presets().line.contains("by its version"))
    }

    /// The per-attempt failure rate is one formula for both rows, retries / (creations + retries),
    /// and empty where a row cannot see its retries (the kernel without tracefs).
    @Test func theAttemptFailureRateIsRetriesPerAttemptSeen() {
        var traced = CounterSnapshot.zero(observedBy: [.liveKernel, .kernelTrace])
        traced[.threadsCreatedOnDemand] = 12
        traced[.createRetries] = 4
        #expect(FidelityTable.attemptFailureRate(traced) == 0.25)
        var untraced = CounterSnapshot.zero(observedBy: .liveKernel)
        untraced[.threadsCreatedOnDemand] = 12
        #expect(FidelityTable.attemptFailureRate(untraced) == nil)
        #expect(FidelityTable.attemptFailureRate(.zero(observedBy: .model)) == nil, "no attempt, no rate")
        let header = FidelityTable.columns.header()
        #expect(["kernel_retries_per_trial", "kernel_attempt_failure_rate", "model_attempt_failure_rate"].allSatisfy(header.contains))
    }
}
