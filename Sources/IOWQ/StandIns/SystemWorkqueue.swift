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

    /// Guards `entries`, `stopping` and `running`.
    private let lock = Lock()
    private var entries: [Entry] = []
    private var stopping = false
    private var running = true
    private let wake = Parker()
    private let stopped = Parker()

    init() {
        entries.reserveCapacity(16)
        var thread = pthread_t()
        let rc = iowq_thread_create(&thread, 256 << 10, kworkerEntry, Unmanaged.passRetained(self).toOpaque())
        precondition(rc == 0, "cannot start a kworker: errno \(rc)")
    }

    /// Queues `callback(argument)` to run on a kworker after `delay`.
    func schedule(_ callback: Callback, _ argument: UnsafeMutableRawPointer, after delay: Duration = .zero) {
        let due = delay == .zero ? 0 : monotonicNanoseconds() &+ delay.nanoseconds
        lock.withLock {
            entries.append(Entry(work: QueuedCallback(callback: callback, argument: argument), due: due))
        }
        wake.unpark()
    }

    var queuedCount: Int { lock.withLock { entries.count } }

    /// Stops the kworker; what is still queued is dropped. Returns false if it did not stop by
    /// `deadline` (it is left behind, still running a callback).
    @discardableResult
    func shutdown(deadline: Deadline) -> Bool {
        lock.withLock {
            stopping = true
            entries.removeAll()
        }
        wake.unpark()
        while lock.withLock({ running }) {
            if deadline.hasPassed { return false }
            stopped.park(until: deadline)
        }
        return true
    }

    fileprivate func kworkerLoop() {
        iowq_block_all_signals()
        lock.lock()
        while !stopping {
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
            wake.park(until: nextDue == .max ? .never : Deadline(nanoseconds: nextDue))
            lock.lock()
        }
        running = false
        lock.unlock()
        stopped.unpark()
    }
}

/// Entry point of a kworker thread.
private func kworkerEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let workqueue = Unmanaged<SystemWorkqueue>.fromOpaque(argument!).takeRetainedValue()
    workqueue.kworkerLoop()
    return nil
}
