#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import IOWQ
import Synchronization

/// `pthread_create` until the new thread's first instruction: the physical floor of a worker's
/// creation, for calibration and the perf gate.
enum ThreadStart {
    /// How the thread is made and waited for. The two differ on this VM (unpinned, p50 about 8 µs
    /// joined against 13–20 µs detached), so each figure keeps the one it was defined with.
    enum Style {
        /// Default attributes, then `pthread_join`: calibration.csv's thread-create since the start.
        case joined
        /// Detached, with the workers' stack size, waited for on a parker: what the pool does, and
        /// the gate's first-worker floor (measured pinned).
        case likeWorkers
    }

    /// Nanoseconds for one thread, or nil when `pthread_create` failed or the thread did not run
    /// within `timeout`.
    static func measure(_ style: Style, timeout: Duration = .seconds(10)) -> UInt64? {
        let stamp = ThreadStartStamp()
        let argument = Unmanaged.passRetained(stamp).toOpaque()
        var thread = pthread_t()
        let start = monotonicNanoseconds()
        let rc = switch style {
        case .joined: pthread_create(&thread, nil, threadStartEntry, argument)
        case .likeWorkers: iowq_thread_create(&thread, IOWorkQueue.workerStackBytes, threadStartEntry, argument)
        }
        guard rc == 0 else {
            Unmanaged<ThreadStartStamp>.fromOpaque(argument).release()
            return nil
        }
        switch style {
        case .joined: pthread_join(thread, nil)
        case .likeWorkers: guard stamp.done.park(until: .after(timeout)) else { return nil }
        }
        return stamp.startedAt.load(ordering: .acquiring) &- start
    }
}

private final class ThreadStartStamp: Sendable {
    let startedAt = Atomic<UInt64>(0)
    let done = Parker()
}

private func threadStartEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let stamp = Unmanaged<ThreadStartStamp>.fromOpaque(argument!).takeRetainedValue()
    stamp.startedAt.store(monotonicNanoseconds(), ordering: .releasing)
    stamp.done.unpark()
    return nil
}
