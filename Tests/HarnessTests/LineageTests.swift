import Harness
import IOWQ
import Testing

/// Each upstream fix, seen as a difference in outcomes or counts between a preset and the one
/// before it, under a deterministic schedule or fault plan.
@Suite struct LineageTests {
    func trial(_ strategy: RetryViaWorkqueue, _ scenario: Scenario, signals: SignalSchedule = .none, faults: FaultPlan = .none) throws -> TrialResult {
        let spec = ConfigurationSpec(strategy: try StrategyCatalog.named(strategy.name), scenario: scenario, signals: signals, faults: faults)
        return TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: .quick)
    }

    @Test func exitWithACreateRequestQueuedHangsInTheSeedOnly() throws {
        let seed = try trial(RetryViaWorkqueue.seed, .exitUnderFire, signals: .oneShot)
        let fixed = try trial(RetryViaWorkqueue.linux5_15, .exitUnderFire, signals: .oneShot)
        #expect(seed.exitHung)
        #expect(!fixed.exitHung)
        #expect(fixed.items.hung == 0)
    }

    @Test func aNonRetryableFailureWithTheItemQueuedCompletesItTwiceInTheSeedOnly() throws {
        let seed = try trial(RetryViaWorkqueue.seed, .firstWorker, faults: .failNth(1, .ENOMEM))
        let fixed = try trial(RetryViaWorkqueue.linux5_15, .firstWorker, faults: .failNth(1, .ENOMEM))
        #expect(seed.items.cancelled == 1)
        #expect(seed.items.completedTwice == 1)
        #expect(fixed.items.cancelled == 1)
        #expect(fixed.items.completedTwice == 0)
    }

    @Test func theSeedLeaksTheWorkerRecordOnAFailurePath() throws {
        let seed = try trial(RetryViaWorkqueue.seed, .firstWorker, faults: .failNth(1, .ENOMEM))
        let fixed = try trial(RetryViaWorkqueue.linux5_15, .firstWorker, faults: .failNth(1, .ENOMEM))
        #expect(seed.leakedBytes == IOWorkQueue.workerRecordBytes)
        #expect(fixed.leakedBytes == 0)
    }

    @Test func aFatalSignalEndsTheRetriesFrom5_16On() throws {
        let before = try trial(RetryViaWorkqueue.linux5_15, .firstWorker, signals: .combined([.storm, .fatal(after: .milliseconds(5))]))
        let after = try trial(RetryViaWorkqueue.linux5_16, .firstWorker, signals: .combined([.storm, .fatal(after: .milliseconds(5))]))
        #expect(before.exitHung)
        #expect(before.items.hung == 1)
        #expect(!after.exitHung)
        #expect(after.items.cancelled == 1)
    }

    @Test func aStormIsGivenUpAfterThreeRetriesFrom6_11On() throws {
        let unbounded = try trial(RetryViaWorkqueue.linux5_16, .firstWorker, signals: .storm)
        #expect(unbounded.items.hung == 1)
        #expect(unbounded.counters![.createRetries] > 3)
        for preset in [RetryViaWorkqueue.linux6_11, .linux6_14] {
            let bounded = try trial(preset, .firstWorker, signals: .storm)
            #expect(bounded.items.cancelled == 1, "\(preset.name)")
            #expect(bounded.counters![.createRetries] == 3, "\(preset.name)")
        }
    }

    @Test func from6_19OnlyEAGAINIsBounded() throws {
        let storm = try trial(RetryViaWorkqueue.linux6_19, .firstWorker, signals: .storm)
        #expect(storm.items.hung == 1)
        #expect(storm.counters![.createRetries] > 3)
        let eagain = try trial(RetryViaWorkqueue.linux6_19, .firstWorker, faults: .eagain(1))
        #expect(eagain.items.cancelled == 1)
        #expect(eagain.counters![.createRetries] == 3)
    }

    /// When creation gives up while the group still has workers, all blocked, nothing cancels the
    /// chain: it hangs although the group is not empty.
    @Test func aChainHangsWhenCreationGivesUpBesideBlockedWorkers() throws {
        let result = try trial(RetryViaWorkqueue.linux6_11, .chain(8), signals: .storm(fromAttempt: 2))
        #expect(result.counters!.threadsCreated >= 1)
        #expect(result.items.hung > 0)
        #expect(result.items.cancelled == 0)
        #expect(!result.exitHung)
    }
}
