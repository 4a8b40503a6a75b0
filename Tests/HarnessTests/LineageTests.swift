import Harness
import IOWQ
import Testing

/// Each upstream fix, seen as a difference in outcomes or counts between a preset and the one
/// before it, under a deterministic schedule or fault plan.
@Suite struct LineageTests {
    func trial(_ strategy: String, _ scenario: String, signals: String = "none", faults: String = "none") throws -> TrialResult {
        let spec = try ConfigurationSpec(strategy: strategy, scenario: scenario, signals: signals, faults: faults)
        return TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: .quick)
    }

    @Test func exitWithACreateRequestQueuedHangsInTheSeedOnly() throws {
        let seed = try trial("retry-via-workqueue", "exit-under-fire", signals: "one-shot")
        let fixed = try trial("retry-5.15", "exit-under-fire", signals: "one-shot")
        #expect(seed.exitHung)
        #expect(!fixed.exitHung)
        #expect(fixed.items.hung == 0)
    }

    @Test func aNonRetryableFailureWithTheItemQueuedCompletesItTwiceInTheSeedOnly() throws {
        let seed = try trial("retry-via-workqueue", "first-worker", faults: "fail-nth:1:ENOMEM")
        let fixed = try trial("retry-5.15", "first-worker", faults: "fail-nth:1:ENOMEM")
        #expect(seed.items.cancelled == 1)
        #expect(seed.items.completedTwice == 1)
        #expect(fixed.items.cancelled == 1)
        #expect(fixed.items.completedTwice == 0)
    }

    @Test func theSeedLeaksTheWorkerRecordOnAFailurePath() throws {
        let seed = try trial("retry-via-workqueue", "first-worker", faults: "fail-nth:1:ENOMEM")
        let fixed = try trial("retry-5.15", "first-worker", faults: "fail-nth:1:ENOMEM")
        #expect(seed.leakedBytes > 0)
        #expect(seed.leakedBytes == IOWorkQueue.workerRecordBytes)
        #expect(fixed.leakedBytes == 0)
    }

    @Test func aFatalSignalEndsTheRetriesFrom5_16On() throws {
        let before = try trial("retry-5.15", "first-worker", signals: "storm+fatal:5ms")
        let after = try trial("retry-5.16", "first-worker", signals: "storm+fatal:5ms")
        #expect(before.exitHung)
        #expect(before.items.hung == 1)
        #expect(!after.exitHung)
        #expect(after.items.cancelled == 1)
    }

    @Test func aStormIsGivenUpAfterThreeRetriesFrom6_11On() throws {
        let unbounded = try trial("retry-5.16", "first-worker", signals: "storm")
        #expect(unbounded.items.hung == 1)
        #expect(unbounded.counters![.createRetries] > 3)
        for preset in ["retry-6.11", "retry-6.14"] {
            let bounded = try trial(preset, "first-worker", signals: "storm")
            #expect(bounded.items.cancelled == 1, "\(preset)")
            #expect(bounded.counters![.createRetries] == 3, "\(preset)")
        }
    }

    @Test func from6_19OnlyEAGAINIsBounded() throws {
        let storm = try trial("retry-6.19", "first-worker", signals: "storm")
        #expect(storm.items.hung == 1)
        #expect(storm.counters![.createRetries] > 3)
        let eagain = try trial("retry-6.19", "first-worker", faults: "eagain:1")
        #expect(eagain.items.cancelled == 1)
        #expect(eagain.counters![.createRetries] == 3)
    }

    /// When creation gives up while the group still has workers, all blocked, nothing cancels the
    /// chain: it hangs although the group is not empty.
    @Test func aChainHangsWhenCreationGivesUpBesideBlockedWorkers() throws {
        let result = try trial("retry-6.11", "chain:8", signals: "storm:2")
        #expect(result.counters!.threadsCreated >= 1)
        #expect(result.items.hung > 0)
        #expect(result.items.cancelled == 0)
        #expect(!result.exitHung)
    }
}
