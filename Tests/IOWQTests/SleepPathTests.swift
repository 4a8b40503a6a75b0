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

    /// A sleep-path request that the task runs after another worker went free: from 6.17
    /// create_worker_cb wakes that worker and creates none (9d83e1f05c98; mainline io-wq.c
    /// create_worker_cb, `io_acct_activate_free_worker` before the nr_workers test); before, it
    /// creates a third worker that finds nothing to do (6.12.118 io_uring/io-wq.c:342-366).
    @Test(arguments: [(RetryViaWorkqueue.linux6_14, 3), (.linux6_19, 2)])
    func aRequestThatFindsAFreeWorkerCreatesNoneFrom6_17(preset: RetryViaWorkqueue, threads: Int) throws {
        let releaseX = Recorder(false)
        let releaseA = Recorder(false)
        let bQueued = Recorder(false)
        let (outcomes, report) = try withPool(preset) { pool, task in
            let deadline = Deadline.after(completionDeadline)
            let x = WorkItem(tag: 0) { context in
                context.blocking { poll(until: deadline) { releaseX.current } } ? .ok : .failed(.EINTR)
            }
            let a = WorkItem(tag: 1) { context in
                guard poll(until: deadline, { bQueued.current }) else { return .failed(.EINTR) }
                return context.blocking { poll(until: deadline) { releaseA.current } } ? .ok : .failed(.EINTR)
            }
            let b = noopItem(tag: 2)
            pool.enqueue(x)  // the first worker, blocked in x
            _ = poll(until: deadline) { pool.groupCounts(.bound).running == 0 }
            pool.enqueue(a)  // nobody running: a second worker, inline
            pool.enqueue(b)  // the second worker free or running: no creation
            bQueued.update { $0 = true }
            // a blocks with b queued and nobody running: a request to the task, not run yet
            _ = poll(until: deadline) { task.queuedTaskWorkCount == 1 }
            releaseX.update { $0 = true }
            // the first worker finishes x, runs b, and goes to sleep on the free list
            _ = poll(until: deadline) { b.outcome == .ok && pool.lock.withLock { pool.freeList.contains { $0.record.pointee.sleeping } } }
            task.runTaskWork()
            releaseA.update { $0 = true }
            task.waitForCompletions(3, deadline: deadline)
            return [x.outcome, a.outcome, b.outcome]
        }
        #expect(outcomes == [.ok, .ok, .ok])
        #expect(report.counters[.createRequestsViaTaskWork] == 1)
        #expect(report.counters[.threadsCreatedOnDemand] == threads, "\(preset.name)")
    }
}
