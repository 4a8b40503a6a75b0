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
        let at = monotonicNanoseconds()
        let sent = lock.withLock {
            guard !exited else { return false }  // the thread may be gone: never signal it
            pthread_kill(thread, signal.number)
            return true
        }
        guard sent else { return false }
        // before the count: whoever sees a signal sent also sees when the first one was
        counters.recordFirst(.firstSignalAt, at: at)
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
        enterKernel()  // task_work runs in the kernel, where a signal in flight is pending
        runTaskWork()
        deliverSignals()
    }

    /// The task enters the kernel from its own code (a submission).
    ///
    /// A task that handles its signals in user space (a schedule can send some) blocks them here,
    /// after the time at user level in which the real kernel delivered what was sent to their
    /// handler. That delivery is not instant: the sender's signal_wake_up kicks the running task
    /// with an IPI under the sighand lock (6.12.118 kernel/signal.c:772, kick_process), and a signal
    /// sent shortly before the task enters is still pending in the syscall, where it fails the
    /// creations, as in the kernel row (on this VM a cross-CPU delivery takes about 17 µs, and a
    /// task entering 2 µs after a handler ran found a signal pending 0.41 of the time at 100k/s
    /// sent, 0.03 at 10k). Entering from a kernel section (the task had not returned to user
    /// space since), it first returns, delivering what is pending. Otherwise (no signal can come)
    /// what a signal sent meanwhile asked for is done here before the syscall begins: one atomic
    /// exchange when nothing was sent. A dying task never returns to user space.
    public func enterFromUserSpace() {
        assertOnTask()
        guard !isDying else { return }
        if handlesSignalsInUserSpace {
            if !atUserLevel { returnToUser() }
            enterKernel()
        } else if signalSent.exchange(false, ordering: .acquiringAndReleasing) || hasTaskWork {
            returnToUser()
        }
    }

    /// Back to the kernel: the injected signals blocked, so what is sent from now on stays pending.
    /// Every kernel entry point passes here (a submission, a wait, task_work); a no-op unless the
    /// task is at user level.
    func enterKernel() { setAtUserLevel(false) }

    /// At user level the injected signals are unblocked, so the kernel delivers what is pending on
    /// the way out of the very call that unblocks them, and anything sent later, to the handler;
    /// in the kernel they are blocked. Either way, what the handler took so far is counted.
    private func setAtUserLevel(_ up: Bool) {
        guard atUserLevel != up else { return }
        _ = iowq_set_injected_blocked(InjectedSignal.ordinary.number, InjectedSignal.fatal.number, !up)
        atUserLevel = up
        takeDelivered()
    }

    /// Counts what the handler took on this thread since the last look.
    private func takeDelivered() {
        let ordinary = iowq_take_thread_handled(InjectedSignal.ordinary.number)
        let fatal = iowq_take_thread_handled(InjectedSignal.fatal.number)
        if ordinary > 0 { counters.bump(.signalsDelivered, by: ordinary) }
        if fatal > 0 {
            counters.bump(.signalsDelivered, by: fatal)
            dying.store(true, ordering: .releasing)
        }
    }

    func deliverSignals() {
        if handlesSignalsInUserSpace {
            setAtUserLevel(true)
            return
        }
        while iowq_consume_signal(InjectedSignal.ordinary.number) {
            counters.bump(.signalsDelivered)
        }
        while iowq_consume_signal(InjectedSignal.fatal.number) {
            counters.bump(.signalsDelivered)
            dying.store(true, ordering: .releasing)
        }
    }
}
