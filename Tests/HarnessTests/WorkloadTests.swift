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

    /// A signal that reaches the task while it runs its own code, between two submissions, is
    /// handled before the next submission creates a worker, as the kernel handles a signal to a
    /// task in user space at once (signal_wake_up_state kicks it, and its way back to user space
    /// runs the handler: 6.12.118 kernel/signal.c:772, kernel/entry/common.c:113), so the next
    /// io_uring_enter's copy_process (kernel/fork.c:2253) does not see it. Before, the model's
    /// task kept it pending (blocked) into the next submission, and naive's inline creation failed
    /// with ERESTARTNOINTR against it.
    @Test func aSignalSentBetweenSubmissionsIsHandledBeforeTheNextOnesCreation() throws {
        let (outcome, counters) = try SubmitterTask.run { task -> Result<(Outcome?, CounterSnapshot), any Error> in
            Result {
                let session = try PoolSession(task: task, strategy: Naive(), pool: PoolConfiguration(idleTimeout: .milliseconds(200)))
                let deadline = Deadline.after(.seconds(20))
                let first = WorkItem(flags: .concurrent, tag: 0) { _ in .ok }
                Workload.submitAll(session.pool, task, [first], deadline)
                task.waitForCompletions(1, deadline: deadline)
                // in user space: the signal arrives, and in the model (blocked) stays pending
                task.send(.ordinary)
                let second = WorkItem(flags: .concurrent, tag: 1) { _ in .ok }
                Workload.submitAll(session.pool, task, [second], deadline)
                task.waitForCompletions(2, deadline: deadline)
                let teardown = session.tearDown(exitDeadline: .seconds(10))
                return (second.outcome, teardown.counters)
            }
        }.get()
        #expect(outcome == .ok)
        #expect(counters[.createFailuresERESTART] == 0)
        #expect(counters[.signalsDelivered] == 1)
        #expect(counters[.threadsCreatedOnDemand] == 2)
    }
}
