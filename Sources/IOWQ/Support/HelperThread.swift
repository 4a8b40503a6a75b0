import CPoolShims
import Synchronization

/// A background thread of the stand-ins or the harness (a kworker, a signal sender, a census, a
/// responder): every signal blocked, a small stack, a body that loops until it sees `isStopping`,
/// a parker to wake it, and a stop that waits with a deadline, so no caller can hang on it. The one
/// place where a Swift closure becomes a thread.
public final class HelperThread: Sendable {
    /// The stack every helper gets: they loop, park and call into libc, nothing deeper.
    public static let stackSize = 256 << 10

    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Bool>(true)
    private let wakeUp = Parker()
    private let finished = Parker()

    /// Starts `body` on a new thread, or returns nil when the thread could not be made. The body
    /// is owned by the thread, not by the helper, so an owner that keeps its helper and is captured
    /// by the body is let go when the thread ends.
    public init?(_ body: @escaping @Sendable (HelperThread) -> Void) {
        let launch = Unmanaged.passRetained(HelperLaunch(helper: self, body: body)).toOpaque()
        var thread = pthread_t()
        guard iowq_thread_create(&thread, Self.stackSize, helperThreadEntry, launch) == 0 else {
            Unmanaged<HelperLaunch>.fromOpaque(launch).release()
            return nil
        }
    }

    /// Set by `stop`; the body returns when it sees it.
    public var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Wakes the body if it waits in `park` (or makes its next `park` return at once).
    public func wake() { wakeUp.unpark() }

    /// Parks the body until `wake`, `stop` or `deadline`. Returns true when woken.
    @discardableResult
    public func park(until deadline: Deadline) -> Bool { wakeUp.park(until: deadline) }

    /// Asks the body to return and waits for it until `deadline`. Returns whether it finished.
    @discardableResult
    public func stop(deadline: Deadline) -> Bool {
        stopping.store(true, ordering: .releasing)
        wakeUp.unpark()
        while running.load(ordering: .acquiring) {
            if deadline.hasPassed { return false }
            finished.park(until: deadline)
        }
        return true
    }

    fileprivate func run(_ body: @Sendable (HelperThread) -> Void) {
        iowq_block_all_signals()
        body(self)
        running.store(false, ordering: .releasing)
        finished.unpark()
    }
}

private final class HelperLaunch: Sendable {
    let helper: HelperThread
    let body: @Sendable (HelperThread) -> Void

    init(helper: HelperThread, body: @escaping @Sendable (HelperThread) -> Void) {
        self.helper = helper
        self.body = body
    }
}

/// Entry point of every helper thread: a plain function, as thread entry points must be.
private func helperThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let launch = Unmanaged<HelperLaunch>.fromOpaque(argument!).takeRetainedValue()
    launch.helper.run(launch.body)
    return nil
}
