@testable import Harness
import IOWQ
import Testing

/// The model's items are flagged as io_uring flags the kernel anchor's requests: every one is
/// submitted with IOSQE_ASYNC, which io_prep_async_work turns into IO_WQ_WORK_CONCURRENT.
@Suite struct WorkloadTests {
    static let scenarios: [Scenario] = [.firstWorker, .burst(4), .steady(perSecond: 2000), .sleepers, .chain(4), .hashed(2), .mixed, .exitUnderFire]

    @Test(arguments: scenarios) func everyItemIsConcurrentAsIOSQEAsyncMakesIt(scenario: Scenario) {
        let workload = Workload.make(scenario, profile: .quick, seed: 1)
        defer { workload.cleanup() }
        #expect(workload.items.allSatisfy { $0.flags.contains(.concurrent) })
    }

    /// So a chain's workers are created inline as its items are queued, not from the sleep path:
    /// one signal inside that submission fails every creation after it. Without CONCURRENT, enqueue
    /// created only the first and the sleep path asked for the other 7, every time; with it, a
    /// sleep hook asks only when the task was descheduled between two enqueues long enough for a
    /// new worker to start and block (seen once in a loaded run).
    @Test func aChainCreatesItsWorkersAtEnqueueNotFromTheSleepPath() throws {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .chain(8))
        let result = TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: .quick)
        #expect(result.items.ok == 8)
        #expect(result.counters?[.threadsCreatedOnDemand] == 8)
        #expect((result.counters?[.createRequestsViaTaskWork] ?? 99) < 7)
    }
}
