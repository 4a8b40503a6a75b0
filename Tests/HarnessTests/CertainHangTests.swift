import Harness
import IOWQ
import PropertyBased
import Testing

/// A trial whose hang is certain ends at once (`Workload.wait`, `IOWorkQueue.isCertainlyStuck`,
/// exit's `givingUpWhenCertain`) with the outcome it would have had at its deadline; one whose
/// work can still move is never cut short.
@Suite struct CertainHangTests {
    static let waitingOut: Profile = {
        var profile = Profile.quick
        profile.stopsCertainHangs = false
        return profile
    }()

    func trial(_ strategy: String, _ scenario: Scenario, signals: SignalSchedule = .none, faults: FaultPlan = .none,
               seed: UInt64 = 1, profile: Profile = .quick) throws -> TrialResult {
        let spec = ConfigurationSpec(strategy: try StrategyCatalog.named(strategy), scenario: scenario, signals: signals, faults: faults)
        return TrialRunner.run(spec, trial: 0, baseSeed: seed, profile: profile)
    }

    @Test func aCertainHangEndsEarlyWithItsKind() throws {
        let noWorker = try trial("pre-patch", .firstWorker, signals: .oneShot)
        #expect(noWorker.endedEarly && noWorker.items.hung == 1 && noWorker.hangKind == .noWorker)
        let blocked = try trial("retry-6.14", .chain(8), signals: .storm(fromAttempt: 2))
        #expect(blocked.endedEarly && blocked.items.hung > 0 && blocked.hangKind == .workersBlocked)
        let exit = try trial("retry-via-workqueue", .exitUnderFire, signals: .oneShot)
        #expect(exit.endedEarly && exit.exitHung && exit.hangKind == .exitWaiting)
    }

    /// Progress still possible: retries waiting out their backoff (6.14, 8 + 12 + 16 ms, then the
    /// item is cancelled), a creation that retries for ever (6.19 under a storm: a livelock is not
    /// certain, it could end), workers that sleep for a while with work queued behind them.
    @Test func workThatCanStillMoveIsNeverCutShort() throws {
        let backoff = try trial("retry-6.14", .firstWorker, signals: .storm)
        #expect(!backoff.endedEarly && backoff.items.cancelled == 1)
        let livelock = try trial("retry-6.19", .firstWorker, signals: .storm)
        #expect(!livelock.endedEarly && livelock.items.hung == 1 && livelock.hangKind == .retrying)
        let sleepers = try trial("eager", .sleepers)
        #expect(!sleepers.endedEarly && sleepers.items.ok == Scenario.Shape.batch)
        let chain = try trial("pre-patch", .chain(8))
        #expect(!chain.endedEarly && chain.items.ok == 8)
    }

    /// On the same seeds, a trial that stops at a certain hang ends as the one that waits out its
    /// deadline: the same outcomes, the same kind.
    @Test func stoppingEarlyChangesNoOutcome() async {
        let strategies = ["pre-patch", "retry-via-workqueue", "retry-6.11", "retry-6.14"]
        let scenarios: [Scenario] = [.firstWorker, .chain(4), .burst(8)]
        let plans: [(SignalSchedule, FaultPlan)] = [(.oneShot, .none), (.storm(fromAttempt: 2), .none), (.none, .eagain(0.5)),
                                                    (.none, .enomem(0.5)), (.oneShot, .failNth(2, .EAGAIN))]
        await propertyCheck(count: 10, input: Gen.int(in: 0...(strategies.count - 1)), Gen.int(in: 0...(scenarios.count - 1)),
                            Gen.int(in: 0...(plans.count - 1)), Gen.int(in: 1...1_000_000)) { strategy, scenario, plan, seed in
            let (signals, faults) = plans[plan]
            guard let early = try? trial(strategies[strategy], scenarios[scenario], signals: signals, faults: faults, seed: UInt64(seed)),
                  let waited = try? trial(strategies[strategy], scenarios[scenario], signals: signals, faults: faults, seed: UInt64(seed),
                                          profile: Self.waitingOut) else {
                Issue.record("no such strategy")
                return
            }
            let label = "\(strategies[strategy]) \(scenarios[scenario]) \(signals) \(faults) seed \(seed)"
            #expect(!waited.endedEarly, "\(label)")
            #expect(early.items == waited.items, "\(label)")
            #expect(early.hangKind == waited.hangKind, "\(label)")
        }
    }
}
