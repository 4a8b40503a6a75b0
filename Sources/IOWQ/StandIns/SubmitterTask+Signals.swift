#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import Synchronization

/// Signals: sent by pthread_kill, pending while blocked, delivered on the way back to user space.
extension SubmitterTask {
    /// Sends `signal` to the task with pthread_kill and wakes it if it waits. Any thread. Returns
    /// false when the task had exited (nothing sent).
    @discardableResult
    public func send(_ signal: InjectedSignal) -> Bool {
        let sent = lock.withLock {
            guard !exited else { return false }  // the thread may be gone: never signal it
            pthread_kill(thread, signal.number)
            return true
        }
        guard sent else { return false }
        signalSent.store(true, ordering: .releasing)
        counters.bump(.signalsSent)
        parker.unpark()
        return true
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

    /// The task enters the kernel from its own code (a submission): what a signal sent meanwhile
    /// asked for has been done. In the kernel a signal to a task in user space never waits for its
    /// next syscall: signal_wake_up_state wakes it or kicks it with an IPI (6.12.118
    /// kernel/signal.c:772, kick_process), and the interrupt's way back to user space runs its
    /// task_work and the handler (exit_to_user_mode_loop, kernel/entry/common.c:113; get_signal,
    /// kernel/signal.c:2712). The model's task keeps the signal blocked, so it is delivered here,
    /// before the syscall begins, instead of staying pending into the syscall's creations.
    /// Cheap when nothing was sent: one atomic exchange. A dying task never returns to user space.
    public func enterFromUserSpace() {
        assertOnTask()
        guard !isDying else { return }
        if signalSent.exchange(false, ordering: .acquiringAndReleasing) || hasTaskWork { returnToUser() }
    }

    func deliverSignals() {
        while iowq_consume_signal(InjectedSignal.ordinary.number) {
            counters.bump(.signalsDelivered)
        }
        while iowq_consume_signal(InjectedSignal.fatal.number) {
            counters.bump(.signalsDelivered)
            dying.store(true, ordering: .releasing)
        }
    }
}
