#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import IOWQ

/// io_wq_activate_free_worker: which free worker an enqueue may count on instead of creating one.
/// Before 6.6 (6.1.192 io_uring/io-wq.c:297) only a worker that waking actually woke; from 6.6
/// (22f7fb80e6d9, 6.12.118 io_uring/io-wq.c:302) any worker on the free list, where a new
/// worker stays until it takes work (__io_worker_busy, io-wq.c:439).
@Suite struct ActivationTests {
    /// One batch of 16 CONCURRENT items, each of which blocks until all 16 have started (it needs
    /// 16 live workers), enqueued while the first worker is held before it looks for work. Returns
    /// the workers alive when the batch was in, and the counters at the end.
    func batch(_ strategy: any WorkerCreationStrategy) throws -> (inlineWorkers: Int, PoolReport, ok: Int) {
        let n = 16
        let batchIn = Recorder(false)
        let started = Recorder(0)
        let ((inline, ok), report) = try withPool(strategy, pool: PoolConfiguration(maxBoundWorkers: 4, maxUnboundWorkers: n, idleTimeout: .seconds(5))) { pool, task in
            let deadline = Deadline.after(completionDeadline)
            pool.raceHooks.beforeFirstWork = { _ = poll(until: deadline) { batchIn.current } }
            let items = (0..<n).map { index in
                WorkItem(flags: [.unbound, .concurrent], tag: index) { context in
                    started.update { $0 += 1 }
                    let all = context.blockingOnOtherWork { poll(until: deadline) { started.current == n } }
                    return all ? .ok : .failed(.EINTR)
                }
            }
            for item in items { pool.enqueue(item) }
            let inline = pool.liveWorkers
            batchIn.update { $0 = true }
            task.waitForCompletions(n, deadline: deadline)
            return (inline, items.filter { $0.outcome == .ok }.count)
        }
        return (inline, report, ok)
    }

    /// Before 6.6 each enqueue of the batch finds only workers already running (just created), whose
    /// wake fails, so it creates its own: 16 inline, none from the sleep path.
    @Test(arguments: [RetryViaWorkqueue.linux5_16, .linux6_1])
    func beforeSixSixEveryEnqueueOfABatchCreatesItsOwnWorker(preset: RetryViaWorkqueue) throws {
        let (inline, report, ok) = try batch(preset)
        #expect(ok == 16)
        #expect(inline == 16)
        #expect(report.counters[.threadsCreatedOnDemand] == 16)
        #expect(report.counters[.createRequestsViaTaskWork] == 0)
    }

    /// From 6.6 the first worker, on the free list until it takes work, stands for the whole batch:
    /// one worker inline, the other 15 one at a time from the sleep path (io_wq_dec_running ->
    /// create_worker_cb), each after the one before blocked.
    @Test(arguments: [RetryViaWorkqueue.linux6_11, .linux6_14, .linux6_19])
    func fromSixSixABatchCreatesOneWorkerInlineAndTheRestFromTheSleepPath(preset: RetryViaWorkqueue) throws {
        let (inline, report, ok) = try batch(preset)
        #expect(ok == 16)
        #expect(inline == 1)
        #expect(report.counters[.threadsCreatedOnDemand] == 16)
        #expect(report.counters[.createRequestsViaTaskWork] == 15)
    }
}
