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

    /// Debian's 6.1 has it too (0453aad676ff in 6.1.103; 6.1.192 io_uring/io-wq.c:815).
    @Test func aStormIsGivenUpAfterThreeRetriesFromDebians6_1On() throws {
        let unbounded = try trial(RetryViaWorkqueue.linux5_16, .firstWorker, signals: .storm)
        #expect(unbounded.items.hung == 1)
        #expect(unbounded.counters![.createRetries] > 3)
        for preset in [RetryViaWorkqueue.linux6_1, .linux6_11, .linux6_14] {
            let bounded = try trial(preset, .firstWorker, signals: .storm)
            #expect(bounded.items.cancelled == 1, "\(preset.name)")
            #expect(bounded.counters![.createRetries] == 3, "\(preset.name)")
        }
    }

    /// 34c78b8610a9 counts every failure (init_retries++) before it lets ERESTART* through, so
    /// the storm's retries keep backing off, 8, 12, 16, 20 ... ms: about ten fit in the trial's
    /// 300 ms, where a backoff stuck at 0 ms made thousands of hops.
    @Test func from6_19OnlyEAGAINIsBoundedAndTheBackoffStillGrows() throws {
        let storm = try trial(RetryViaWorkqueue.linux6_19, .firstWorker, signals: .storm)
        #expect(storm.items.hung == 1)
        #expect(storm.counters![.createRetries] > 3)
        #expect(storm.counters![.createRetries] <= 20, "\(storm.counters![.createRetries]) retries: the backoff did not grow")
        let eagain = try trial(RetryViaWorkqueue.linux6_19, .firstWorker, faults: .eagain(1))
        #expect(eagain.items.cancelled == 1)
        #expect(eagain.counters![.createRetries] == 3)
    }

    /// queue_create_worker_retry waits msecs_to_jiffies(init_retries * 5): whole jiffies, rounded up.
    @Test func theBackoffWaitsWholeJiffies() {
        let milliseconds = { (strategy: RetryViaWorkqueue) in (1...3).map { strategy.backoff(forRetry: $0) / .milliseconds(1) } }
        #expect(milliseconds(.linux6_14) == [8, 12, 16], "HZ 250, Debian's")
        var hz1000 = RetryViaWorkqueue.linux6_14
        hz1000.hz = 1000
        #expect(milliseconds(hz1000) == [5, 10, 15])
        var hz100 = RetryViaWorkqueue.linux6_14
        hz100.hz = 100
        #expect(milliseconds(hz100) == [10, 10, 20])
        #expect(milliseconds(.linux6_11) == [0, 0, 0], "no backoff before 6.14")
        #expect(milliseconds(.linux6_1) == [0, 0, 0], "Debian's 6.1 retries through schedule_work (io-wq.c:914)")
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
