#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import IOWQ

@Suite struct SleepPathTests {
    /// A waits inside `blocking { }` until B has run; B can only run on a second worker, which only
    /// the sleep path can ask for. A blocks only once B is queued: blocked earlier, it would leave
    /// the group with nobody running, and enqueue would create B's worker itself.
    @Test(arguments: [PrePatch(), RetryViaWorkqueue.seed] as [any WorkerCreationStrategy])
    func aBlockedWorkerAsksTheTaskForAnotherWorker(strategy: any WorkerCreationStrategy) throws {
        let bQueued = Recorder(false)
        let bRan = Recorder(false)
        let ((a, b), report) = try withPool(strategy) { pool, task in
            let deadline = Deadline.after(completionDeadline)
            let a = WorkItem(tag: 0) { context in
                guard poll(until: deadline, { bQueued.current }) else { return .failed(.EINTR) }
                let ok = context.blocking { poll(until: deadline) { bRan.current } }
                return ok ? .ok : .failed(.EINTR)
            }
            let b = WorkItem(tag: 1) { _ in
                bRan.update { $0 = true }
                return .ok
            }
            pool.enqueue(a)
            pool.enqueue(b)
            bQueued.update { $0 = true }
            task.waitForCompletions(2, deadline: deadline)
            return (a.outcome, b.outcome)
        }
        #expect(a == .ok)
        #expect(b == .ok)
        #expect(report.counters[.createRequestsViaTaskWork] >= 1)
        #expect(report.counters[.threadsCreatedOnDemand] == 2)
        #expect(report.counters[.creationsOffTask] == 0)
    }
}
