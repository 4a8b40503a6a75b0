#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import Synchronization

/// The thread that owns a pool (`wq->task`): it submits work, waits for completions, and is the only
/// thread that ever creates workers. It has a task_work queue and signal state, and it "returns to
/// user space" at the points where the kernel would.
///
/// Injected signals are blocked on this thread, so they stay pending until `returnToUser()` consumes
/// them: the model's "blocked and pending" stands for the kernel's "handler installed, not yet
/// delivered", which is what makes thread creation fail.
public final class SubmitterTask: @unchecked Sendable {
    /// Guards `taskWork` and `exited`.
    private let lock = Lock()
    private var taskWork: [QueuedCallback] = []
    private var exited = false

    /// Woken by completions, task_work added with notify, and signal senders.
    let parker = Parker()
    let thread: pthread_t
    public let threadID: Int32
    /// Set when the fatal signal is delivered. A dying task keeps `fatalSignalPending` true for the
    /// rest of its life, as the kernel's does.
    private let dying = Atomic<Bool>(false)
    private let completions = Atomic<Int>(0)
    /// TIF_NOTIFY_RESUME: task_work is queued. Written under `lock`, read lock-free by the wait.
    private let taskWorkQueued = Atomic<Bool>(false)
    /// TIF_SIGPENDING: a signal was sent since the task last looked. Set after the signal is
    /// raised, so whoever sees it set also sees the signal pending; the wait tests this bit instead
    /// of asking the kernel (two sigpending calls per wait) and asks only when it is set.
    private let signalSent = Atomic<Bool>(false)
    /// Where delivered signals are counted; set by the kernel services that use this task.
    let counters: Counters

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
        InjectedSignal.installIgnoringHandlers()
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
        for signal in InjectedSignal.allCases { iowq_block_signal(signal.number) }
        return SubmitterTask(counters: counters)
    }

    fileprivate func exit() {
        lock.withLock {
            exited = true
            taskWork.removeAll()
            taskWorkQueued.store(false, ordering: .releasing)
        }
    }

    // MARK: task_work

    /// Queues `callback` to run on the task (task_work_add). With `notify` the task is woken if it
    /// waits (TWA_SIGNAL). Fails once the task has exited.
    func addTaskWork(_ callback: Callback, _ argument: UnsafeMutableRawPointer, notify: Bool = true) -> Bool {
        let added = lock.withLock {
            guard !exited else { return false }
            taskWork.append(QueuedCallback(callback: callback, argument: argument))
            taskWorkQueued.store(true, ordering: .releasing)
            return true
        }
        if added && notify { parker.unpark() }
        return added
    }

    /// Removes and returns the first queued task_work that `matches` (task_work_cancel_match).
    func cancelTaskWork(matching matches: (QueuedCallback) -> Bool) -> QueuedCallback? {
        lock.withLock {
            guard let index = taskWork.firstIndex(where: matches) else { return nil }
            defer { taskWorkQueued.store(!taskWork.isEmpty, ordering: .releasing) }
            return taskWork.remove(at: index)
        }
    }

    public var hasTaskWork: Bool { taskWorkQueued.load(ordering: .acquiring) }
    public var queuedTaskWorkCount: Int { lock.withLock { taskWork.count } }

    /// Runs everything queued, including what the callbacks queue meanwhile (task_work_run).
    public func runTaskWork() {
        assertOnTask()
        while true {
            let batch: [QueuedCallback] = lock.withLock {
                if taskWork.isEmpty { return [] }
                let batch = taskWork
                taskWork.removeAll(keepingCapacity: true)
                taskWorkQueued.store(false, ordering: .releasing)
                return batch
            }
            if batch.isEmpty { return }
            for work in batch { work.run() }
        }
    }

    // MARK: signals

    /// Sends `signal` to the task with pthread_kill and wakes it if it waits. Any thread.
    public func send(_ signal: InjectedSignal) {
        let sent = lock.withLock {
            guard !exited else { return false }  // the thread may be gone: never signal it
            pthread_kill(thread, signal.number)
            return true
        }
        guard sent else { return }
        signalSent.store(true, ordering: .releasing)
        counters.bump(counters.signalsSent)
        parker.unpark()
    }

    /// An ordinary injected signal is pending. Task thread only (sigpending is per thread).
    var signalPending: Bool {
        assertOnTask()
        return iowq_signal_is_pending(InjectedSignal.ordinary.number)
    }

    /// The fatal signal is pending, or was delivered and the task is dying. Task thread only.
    var fatalSignalPending: Bool {
        assertOnTask()
        return isDying || iowq_signal_is_pending(InjectedSignal.fatal.number)
    }

    public var isDying: Bool { dying.load(ordering: .acquiring) }

    /// The way back to user space: task_work first, then signals.
    ///
    /// The order is the heart of the seed's bug and fix: a create request that runs as task_work here
    /// still sees the signal pending and fails again. Only after this returns are the signals gone,
    /// which is why the seed bounces a failed creation through the system workqueue before retrying.
    public func returnToUser() {
        runTaskWork()
        deliverSignals()
    }

    private func deliverSignals() {
        while iowq_consume_signal(InjectedSignal.ordinary.number) {
            counters.bump(counters.signalsDelivered)
        }
        while iowq_consume_signal(InjectedSignal.fatal.number) {
            counters.bump(counters.signalsDelivered)
            dying.store(true, ordering: .releasing)
        }
    }

    // MARK: completions

    /// Called by the pool for every first completion of an item.
    func postCompletion() {
        completions.wrappingAdd(1, ordering: .releasing)
        parker.unpark()
    }

    /// Items completed on this task so far.
    public var completedCount: Int { completions.load(ordering: .acquiring) }

    /// Waits until `count` items have completed on this task, or `deadline` (io_uring_enter with
    /// GETEVENTS). While waiting it runs task_work; a pending signal makes it return to user space
    /// (delivering it) and wait again. A dying task cannot return to user space: it only runs
    /// task_work. Returns true when the count was reached.
    @discardableResult
    public func waitForCompletions(_ count: Int, deadline: Deadline) -> Bool {
        wait(until: { self.completedCount >= count }, deadline: deadline)
    }

    /// The same wait for any condition that completions, task_work or signals can change.
    @discardableResult
    public func wait(until condition: () -> Bool, deadline: Deadline) -> Bool {
        assertOnTask()
        while true {
            if condition() { return true }
            if hasTaskWork {
                runTaskWork()
                continue
            }
            // the bit is cleared before the look, so a signal sent meanwhile sets it again
            if !isDying && signalSent.exchange(false, ordering: .acquiringAndReleasing)
                && (signalPending || iowq_signal_is_pending(InjectedSignal.fatal.number)) {
                returnToUser()
                continue
            }
            if deadline.hasPassed { return condition() }
            parker.park(until: deadline)
        }
    }

    /// True on the task's own thread.
    public var isCurrentThread: Bool { pthread_equal(pthread_self(), thread) != 0 }

    @inline(__always) private func assertOnTask() {
        assert(isCurrentThread, "only the task itself may do this")
    }
}

extension InjectedSignal {
    /// Handlers that do nothing, installed once, so a signal delivered by accident never kills the
    /// process. The injected signals stay blocked on the task; this only guards the other threads.
    static func installIgnoringHandlers() {
        _ = installOnce
    }

    private static let installOnce: Void = {
        for signal in InjectedSignal.allCases { _ = iowq_install_ignoring_handler(signal.number) }
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
