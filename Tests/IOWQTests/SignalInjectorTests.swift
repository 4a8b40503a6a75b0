#if canImport(Glibc)
import Glibc
#endif
@testable import IOWQ
import Testing

/// A timed schedule's clock starts at the first submission, not when the services are built, and
/// its sender is running on it before that submission goes in.
@Suite struct SignalInjectorTests {
    /// Setup that takes 5 periods sends nothing; the work that follows meets the schedule. With
    /// the clock started at setup, about five signals were sent before the first submission and
    /// stayed pending into it.
    @Test func aTimedScheduleSendsNothingBeforeTheFirstSubmission() throws {
        let ((before, after), report) = try withPool(Eager(), kernel: StandInKernelConfiguration(signals: .periodic(perSecond: 1000))) { pool, task in
            usleep(5000)
            let before = task.counters.snapshot()[.signalsSent]
            pool.enqueue(noopItem())
            task.waitForCompletions(1, deadline: .after(completionDeadline))
            task.wait(until: { task.counters.snapshot()[.signalsSent] > 0 }, deadline: .after(completionDeadline))
            return (before, task.counters.snapshot()[.signalsSent])
        }
        #expect(before == 0)
        #expect(after > 0)
        #expect(report.exit == .clean)
    }

    /// (Naive: its item completes, ok or failed, whatever the signals do to its inline creation.)
    /// The clock protocol both rows share (SignalClockStart): the timed sender takes its clock's
    /// origin itself, and the first submission (whose inline creation is the first attempt) goes
    /// in only after that, so the storm is already running when the batch meets it. Before, the
    /// submitter stamped the origin and woke the sender, whose thread ran whenever it got to,
    /// often after the inline creation: the sender had no origin of its own before the attempt.
    @Test func theTimedSenderIsOnItsClockBeforeTheFirstCreationAttempt() throws {
        for _ in 0..<3 {
            let ((origin, counters), report) = try withPool(Naive(), kernel: StandInKernelConfiguration(signals: .periodic(perSecond: 1000))) { pool, task in
                pool.enqueue(noopItem())
                let origin = pool.kernel.injector.clockStart.origin
                task.waitForCompletions(1, deadline: .after(completionDeadline))
                return (origin, task.counters.snapshot())
            }
            let attempt = counters[.firstCreationAttemptAt]
            #expect(attempt > 0)
            #expect(origin.map { $0 <= UInt64(attempt) } == true, "clock origin \(origin.map(String.init) ?? "none") against the first attempt at \(attempt)")
            #expect(report.exit == .clean)
        }
    }

    /// The time from the first signal to the first creation attempt is recorded: a storm's
    /// first signal and the pool's first attempt both happened, so the lead is known; with no
    /// signal sent it is not (empty, never 0).
    @Test func theFirstSignalsLeadIsRecordedWhenBothHappened() throws {
        let (lead, _) = try withPool(Naive(), kernel: StandInKernelConfiguration(signals: .periodic(perSecond: 20000))) { pool, task in
            pool.enqueue(noopItem())
            task.waitForCompletions(1, deadline: .after(completionDeadline))
            task.wait(until: { task.counters.snapshot()[.signalsSent] > 0 }, deadline: .after(completionDeadline))
            return task.counters.snapshot().firstSignalLead
        }
        #expect(lead != nil)
        let (quiet, _) = try withPool(Naive()) { pool, task in
            pool.enqueue(noopItem())
            task.waitForCompletions(1, deadline: .after(completionDeadline))
            return task.counters.snapshot().firstSignalLead
        }
        #expect(quiet == nil)
    }
}
