#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import Synchronization

/// Completions and the task's wait for them (io_uring_enter with GETEVENTS).
extension SubmitterTask {
    /// Called by the pool for every first completion of an item.
    func postCompletion() {
        completions.wrappingAdd(1, ordering: .releasing)
        parker.unpark()
    }

    /// Makes the task's wait look at its condition again (the pool's state changed in a way the
    /// condition may depend on). A spurious wake for anyone else: the wait loops.
    func wake() { parker.unpark() }

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
        enterKernel()
        while true {
            if condition() { return true }
            if hasTaskWork {
                runTaskWork()
                continue
            }
            // the bit is cleared before the look, so a signal sent meanwhile sets it again
            if !isDying && signalSent.exchange(false, ordering: .acquiringAndReleasing)
                && (signalPending || iowq_signal_is_pending(InjectedSignal.fatal.number)) {
                // back to user space for the handler, and in again (the caller's next io_uring_enter)
                returnToUser()
                enterKernel()
                continue
            }
            if deadline.hasPassed { return condition() }
            parker.park(until: deadline)
        }
    }
}
