#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import Synchronization

/// The thread that owns a pool (`wq->task`): it submits work, waits for completions, and is the only
/// thread that ever creates workers. It has a task_work queue and signal state, and it "returns to
/// user space" at the points where the kernel would.
///
/// Injected signals are blocked on this thread while it is "in the kernel", so they stay pending
/// there: the model's "blocked and pending" stands for the kernel's "handler installed, not yet
/// delivered", which is what makes thread creation fail. A task whose kernel services can send
/// signals (`handlesSignalsInUserSpace`) unblocks them on its way back to user space and blocks
/// them again on entry, so that between the two the real kernel delivers them to their handler
/// with its own latency, as it does to the kernel row's submitter (SubmitterTask+Signals).
public final class SubmitterTask: @unchecked Sendable {
    /// Guards `taskWork` and `exited`.
    let lock = Lock()
    var taskWork: [QueuedCallback] = []
    var exited = false

    /// Woken by completions, task_work added with notify, and signal senders.
    let parker = Parker()
    let thread: pthread_t
    public let threadID: Int32
    /// Set when the fatal signal is delivered. A dying task keeps `fatalSignalPending` true for the
    /// rest of its life, as the kernel's does.
    let dying = Atomic<Bool>(false)
    let completions = Atomic<Int>(0)
    /// TIF_NOTIFY_RESUME: task_work is queued. Written under `lock`, read lock-free by the wait.
    let taskWorkQueued = Atomic<Bool>(false)
    /// TIF_SIGPENDING: a signal was sent since the task last looked. Set after the signal is
    /// raised, so whoever sees it set also sees the signal pending; the wait tests this bit instead
    /// of asking the kernel (two sigpending calls per wait) and asks only when it is set.
    let signalSent = Atomic<Bool>(false)
    /// The counters of this task and every pool and service on it.
    public let counters: Counters
    /// Signals are taken at user level by their handler, not consumed in the kernel: set by the
    /// kernel services on this task when their schedule can send any. Task thread only.
    var handlesSignalsInUserSpace = false
    /// At user level: the injected signals unblocked. Task thread only.
    var atUserLevel = false

    private init(counters: Counters) {
        thread = pthread_self()
        threadID = iowq_gettid()
        self.counters = counters
        taskWork.reserveCapacity(16)
    }

    /// Runs `body` on a new thread that becomes the task (injected signals blocked) and returns its
    /// result. The task exits when `body` returns: later task_work additions fail.
    public static func run<Result: Sendable>(
        counters: Counters = Counters(),
        _ body: @escaping @Sendable (SubmitterTask) -> Result
    ) -> Result {
        InjectedSignal.installCountingHandlers()
        let box = TaskLaunch(counters: counters, body: body)
        let argument = Unmanaged.passRetained(box).toOpaque()
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 4 << 20)
        let rc = pthread_create(&thread, &attributes, submitterTaskEntry, argument)
        pthread_attr_destroy(&attributes)
        precondition(rc == 0, "cannot start the submitter task thread: errno \(rc)")
        pthread_join(thread, nil)
        return box.result as! Result
    }

    fileprivate static func enter(counters: Counters) -> SubmitterTask {
        _ = iowq_set_injected_blocked(InjectedSignal.ordinary.number, InjectedSignal.fatal.number, true)
        return SubmitterTask(counters: counters)
    }

    fileprivate func exit() {
        lock.withLock {
            exited = true
            taskWork.removeAll()
            taskWorkQueued.store(false, ordering: .releasing)
        }
    }

    /// True on the task's own thread.
    public var isCurrentThread: Bool { pthread_equal(pthread_self(), thread) != 0 }

    @inline(__always) func assertOnTask() {
        assert(isCurrentThread, "only the task itself may do this")
    }
}

extension InjectedSignal {
    /// The counting handler (CPoolShims, shared with the kernel row's injector), installed once,
    /// so a signal delivered by accident never kills the process and a task at user level counts
    /// what it was delivered.
    static func installCountingHandlers() {
        _ = installOnce
    }

    private static let installOnce: Void = {
        for signal in InjectedSignal.allCases { _ = iowq_install_counting_handler(signal.number, true) }
    }()
}

private final class TaskLaunch: @unchecked Sendable {
    let counters: Counters
    let body: @Sendable (SubmitterTask) -> Any
    var result: Any?

    init<R>(counters: Counters, body: @escaping @Sendable (SubmitterTask) -> R) {
        self.counters = counters
        self.body = { body($0) }
    }
}

/// Entry point of the task thread: a plain function, as every thread entry point is.
private func submitterTaskEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let launch = Unmanaged<TaskLaunch>.fromOpaque(argument!).takeRetainedValue()
    let task = SubmitterTask.enter(counters: launch.counters)
    launch.result = launch.body(task)
    task.exit()
    return nil
}
