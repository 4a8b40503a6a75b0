#if canImport(Glibc)
import Glibc
#endif
import CPoolShims

/// The kernel's system workqueue (`schedule_work`, `schedule_delayed_work`): a kworker thread that
/// runs queued callbacks in order, each at or after its due time. The kworker blocks every signal: it
/// never sees the task's.
final class SystemWorkqueue: @unchecked Sendable {
    private struct Entry {
        let work: QueuedCallback
        let due: UInt64
    }

    /// Guards `entries` and `closed`.
    private let lock = Lock()
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

    /// Queues `callback(argument)` to run on a kworker after `delay`.
    func schedule(_ callback: Callback, _ argument: UnsafeMutableRawPointer, after delay: Duration = .zero) {
        let due = delay == .zero ? 0 : monotonicNanoseconds() &+ delay.nanoseconds
        lock.withLock {
            entries.append(Entry(work: QueuedCallback(callback: callback, argument: argument), due: due))
        }
        kworker?.wake()
    }

    var queuedCount: Int { lock.withLock { entries.count } }

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

    /// worker_thread: runs each entry once it is due, in queue order; sleeps until the next is due.
    private func kworkerLoop(_ thread: HelperThread) {
        lock.lock()
        while !closed {
            let now = monotonicNanoseconds()
            if let index = entries.firstIndex(where: { $0.due <= now }) {
                let entry = entries.remove(at: index)
                lock.unlock()
                entry.work.run()
                lock.lock()
                continue
            }
            let nextDue = entries.reduce(UInt64.max) { min($0, $1.due) }
            lock.unlock()
            thread.park(until: nextDue == .max ? .never : Deadline(nanoseconds: nextDue))
            lock.lock()
        }
        lock.unlock()
    }
}
