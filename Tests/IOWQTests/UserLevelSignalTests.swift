#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
@testable import IOWQ
import Synchronization
import Testing

/// How a signalled task takes its signals: at user level by the counting handler, with the real
/// kernel's delivery, and in the kernel as blocked-and-pending; and where the timed sender runs.
@Suite struct UserLevelSignalTests {
    /// At user level each signal is handled as it comes (three sends, three handler runs); in
    /// the kernel they are pending, and pending sends coalesce (three sends, one delivery on the
    /// way out). Before, the task kept them blocked at user level too: the first three coalesced
    /// into one as well, delivered only when it next entered the kernel.
    @Test func atUserLevelEachSignalIsHandledInTheKernelTheyCoalesce() throws {
        // a schedule that can send (so the task handles its signals at user level) but whose first
        // signal is a second away
        let ((atUser, pendingAfterEntry, inKernel), report) = try withPool(Naive(), kernel: StandInKernelConfiguration(signals: .periodic(perSecond: 1))) { pool, task in
            pool.enqueue(noopItem())
            task.waitForCompletions(1, deadline: .after(completionDeadline))
            task.returnToUser()
            let before = task.counters.snapshot()[.signalsDelivered]
            for _ in 0..<3 { task.send(.ordinary) }
            task.enterKernel()
            let atUser = task.counters.snapshot()[.signalsDelivered] - before
            let pendingAfterEntry = task.signalPending
            for _ in 0..<3 { task.send(.ordinary) }
            task.returnToUser()
            task.enterKernel()
            return (atUser, pendingAfterEntry, task.counters.snapshot()[.signalsDelivered] - before - atUser)
        }
        #expect(atUser == 3)
        #expect(!pendingAfterEntry)
        #expect(inKernel == 1)
        #expect(report.exit == .clean)
    }

    /// A task no schedule can signal never unblocks them: a signal sent to it stays pending until
    /// it enters the kernel from user space, which delivers it there (the gate's hot path pays one
    /// atomic exchange, no mask change).
    @Test func anUnsignalledTaskKeepsItsSignalsBlocked() throws {
        let ((pending, delivered), _) = try withPool(Naive()) { pool, task in
            pool.enqueue(noopItem())
            task.waitForCompletions(1, deadline: .after(completionDeadline))
            task.send(.ordinary)
            let pending = task.signalPending
            task.enterFromUserSpace()
            return (pending, task.counters.snapshot()[.signalsDelivered])
        }
        #expect(pending)
        #expect(delivered == 1)
    }

    /// The timed sender leaves the submitter's CPU when it takes the clock, so a storm comes from
    /// another CPU in both rows whatever the scheduler would have done. Before, the sender ran
    /// wherever it was woken, mostly on the submitter's own CPU.
    @Test(.enabled(if: iowq_allowed_cpu_count() >= 2, "needs two CPUs"))
    func theTimedSenderLeavesTheSubmittersCPU() throws {
        let start = SignalClockStart()
        let onSubmittersCPU = Atomic<Int>(-1)
        let sender = try #require(HelperThread { thread in
            while !start.isRequested && !thread.isStopping { _ = thread.park(until: .after(.milliseconds(10))) }
            _ = start.take()
            onSubmittersCPU.store(iowq_cpu_allowed(start.submitterCPU.load(ordering: .relaxed)) ? 1 : 0, ordering: .releasing)
        })
        #expect(start.start { sender.wake() })
        _ = sender.stop(deadline: .after(completionDeadline))
        #expect(start.submitterCPU.load(ordering: .relaxed) >= 0)
        #expect(onSubmittersCPU.load(ordering: .acquiring) == 0)
    }
}
