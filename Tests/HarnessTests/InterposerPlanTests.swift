@testable import Harness
import IOWQ
import Testing

/// The fault plans a peer row can take, as the interposer spells them, and the one-line reasons of
/// those it cannot.
@Suite struct InterposerPlanTests {
    @Test func eagainFailNthAndFailAfterMapOntoTheInterposer() throws {
        #expect(InterposerPlan.make(.none) == .plan("none"))
        #expect(InterposerPlan.make(.eagain(0.5)) == .plan("eagain:0.5"))
        #expect(InterposerPlan.make(.eagain(1)) == .plan("eagain:1"))
        #expect(InterposerPlan.make(.failNth(3, .EAGAIN)) == .plan("fail-nth:3"))
        #expect(InterposerPlan.make(.failAfter(0)) == .plan("fail-after:0"))
        #expect(InterposerPlan.make(try FaultPlan(parsing: "fail-after:2")) == .plan("fail-after:2"))
    }

    @Test func whatTheInterposerCannotInjectIsNotApplicable() throws {
        let dispatch = try StrategyCatalog.named("dispatch")
        for faults in ["enomem:0.1", "fail-nth:1:ENOMEM", "fail-nth:2:ERESTARTNOINTR", "eagain:0.5+fail-after:2"] {
            let spec = ConfigurationSpec(strategy: dispatch, scenario: .firstWorker, faults: try FaultPlan(parsing: faults))
            let reason = try #require(Applicability.reason(spec), "\(faults)")
            #expect(reason.hasPrefix("not applicable: "), "\(reason)")
            #expect(!reason.contains("\n"))
        }
    }

    @Test func signalsAreNotApplicableToPeersAndSayWhy() throws {
        for peer in StrategyCatalog.peers {
            for signals in [SignalSchedule.oneShot, .storm, .periodic(perSecond: 1000)] {
                let reason = Applicability.reason(ConfigurationSpec(strategy: peer, scenario: .firstWorker, signals: signals))
                #expect(reason?.contains("restarts clone transparently") == true, "\(peer.name) \(signals)")
            }
            #expect(Applicability.reason(ConfigurationSpec(strategy: peer, scenario: .sleepers)) != nil)
            #expect(Applicability.reason(ConfigurationSpec(strategy: peer, scenario: .chain(8), faults: .failAfter(2))) == nil)
        }
        // the model runs everything, the kernel keeps its own reasons
        #expect(Applicability.reason(ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .firstWorker, signals: .storm,
                                                       faults: .failAfter(0))) == nil)
        #expect(Applicability.reason(ConfigurationSpec(strategy: StrategyCatalog.kernel, scenario: .firstWorker, faults: .failAfter(0)))?
            .contains("create_io_thread") == true)
    }

    @Test func theChildIsPreloadedDisarmedWithTheTrialsSeedAndAPage() throws {
        let spec = ConfigurationSpec(strategy: try StrategyCatalog.named("nio-threadpool"), scenario: .burst(4), faults: .eagain(0.5))
        let environment = PeerLaunch.environment(spec, seed: 1234, library: "/x/libIOWQThreadInterposer.so", page: "/tmp/p")
        #expect(environment == [
            "LD_PRELOAD": "/x/libIOWQThreadInterposer.so", "IOWQ_THREAD_FAULTS": "eagain:0.5", "IOWQ_THREAD_FAULTS_SEED": "1234",
            "IOWQ_THREAD_FAULTS_ARMED": "0", "IOWQ_THREAD_FAULTS_SHM": "/tmp/p",
        ])
    }

    /// A model child that dies by a signal: its trial's items are crashed, the trial is not stuck.
    @Test func aModelChildKilledByItsOwnSignalIsCrashedNotHung() throws {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .burst(16))
        let launch = try spec.strategy.backend.launch(spec, firstTrial: 2, trials: 1, baseSeed: 1, profile: .quick, scratch: "/tmp")
        let result = try #require(launch.owed(2, seed: TrialRunner.seed(base: 1, trial: 2), .crashed(signal: 11, message: "Segmentation fault")))
        #expect(result.items.crashed == 16 && result.items.hung == 0 && result.items.addsUp)
        #expect(result.crashed && !result.stuck && result.hangKind == nil)
        var summary = ConfigurationSummary(spec)
        summary.add(result)
        #expect(summary.crashedTrials == 1 && summary.stuckTrials == 0)
        #expect(summary.outcomeShares == "crashed 1.00")
        #expect(summary.crashSignals == "SIGSEGV 1")
    }
}
