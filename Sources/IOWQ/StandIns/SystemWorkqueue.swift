#if canImport(Glibc)
import Glibc
#endif
import CPoolShims

/// The kernel's system workqueue (`schedule_work`, `schedule_delayed_work`): a kworker thread that
/// runs queued callbacks in the order they became due. Delayed work comes due on the tick
/// (`JiffyGrid`), so all that is due in one tick runs together, in the order it was queued. The
/// kworker blocks every signal: it never sees the task's.
final class SystemWorkqueue: @unchecked Sendable {
    private struct Entry {
        let work: QueuedCallback
        /// CLOCK_MONOTONIC ns from which it may run: when it was queued (schedule_work), or the
        /// start of the tick its timer fires in (schedule_delayed_work).
        let due: UInt64
    }

    /// Guards `entries` and `closed`.
    private let lock = Lock()
    /// In the order they were queued.
    private var entries: [Entry] = []
    /// Set by shutdown in the same critical section that drops the queue, so nothing queued
    /// around a shutdown runs.
    private var closed = false
    private var kworker: HelperThread?

    init() {
        entries.reserveCapacity(16)
        kworker = HelperThread { [self] thread in self.kworkerLoop(thread) }
        precondition(kworker != nil, "cannot start a kworker")
    }

    /// schedule_work: queues `callback(argument)` to run on a kworker now.
    func schedule(_ callback: Callback, _ argument: UnsafeMutableRawPointer) {
        enqueue(callback, argument, due: monotonicNanoseconds())
    }

    /// schedule_delayed_work: queues `callback(argument)` to run `delay` jiffies of `grid` from now,
    /// on the tick (`JiffyGrid.dueTick`). A delay of 0 is schedule_work (workqueue.c:1667).
    func schedule(_ callback: Callback, _ argument: UnsafeMutableRawPointer, afterJiffies delay: Int, on grid: JiffyGrid) {
        guard delay > 0 else { return schedule(callback, argument) }
        // the timer fires at the start of its tick: everything due in that tick is due at once
        let tick = grid.dueTick(armedAt: monotonicNanoseconds(), delay: delay)
        enqueue(callback, argument, due: grid.start(of: tick))
    }

    private func enqueue(_ callback: Callback, _ argument: UnsafeMutableRawPointer, due: UInt64) {
        lock.withLock {
            entries.append(Entry(work: QueuedCallback(callback: callback, argument: argument), due: due))
        }
        kworker?.wake()
    }

    /// Stops the kworker; what is still queued is dropped. Returns false if it did not stop by
    /// `deadline` (it is left behind, still running a callback).
    @discardableResult
    func shutdown(deadline: Deadline) -> Bool {
        lock.withLock {
            closed = true
            entries.removeAll()
        }
        return kworker?.stop(deadline: deadline) ?? true
    }

    /// worker_thread: runs the entry that became due first (of those due the same instant, the one
    /// queued first); sleeps until the next is due.
    private func kworkerLoop(_ thread: HelperThread) {
        lock.lock()
        while !closed {
            let now = monotonicNanoseconds()
            var next: Int? = nil
            var nextDue = UInt64.max
            for index in entries.indices where entries[index].due < nextDue {
                next = index
                nextDue = entries[index].due
            }
            if let next, nextDue <= now {
                let entry = entries.remove(at: next)
                lock.unlock()
                entry.work.run()
                lock.lock()
                continue
            }
            lock.unlock()
            thread.park(until: nextDue == .max ? .never : Deadline(nanoseconds: nextDue))
            lock.lock()
        }
        lock.unlock()
    }
}
