#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import IOWQ
import Synchronization

/// `pthread_create` (detached, with the workers' stack size) until the new thread's first
/// instruction: the physical floor of a worker's creation, for calibration and the perf gate.
enum ThreadStart {
    /// Nanoseconds for one thread, or nil when `pthread_create` failed or the thread did not run
    /// within `timeout`.
    static func measure(timeout: Duration = .seconds(10)) -> UInt64? {
        let stamp = ThreadStartStamp()
        let argument = Unmanaged.passRetained(stamp).toOpaque()
        var thread = pthread_t()
        let start = monotonicNanoseconds()
        guard iowq_thread_create(&thread, IOWorkQueue.workerStackBytes, threadStartEntry, argument) == 0 else {
            Unmanaged<ThreadStartStamp>.fromOpaque(argument).release()
            return nil
        }
        guard stamp.done.park(until: .after(timeout)) else { return nil }
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
