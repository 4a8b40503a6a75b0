#if canImport(Glibc)
import Glibc
#endif
@testable import IOWQ
import Testing

/// A timed schedule's clock starts at the first submission, not when the services are built.
@Suite struct SignalInjectorTests {
    /// Setup that takes 5 periods sends nothing; the work that follows meets the schedule. With
    /// the clock started at setup, about five signals were sent before the first submission and
    /// stayed pending into it.
    @Test func aTimedScheduleSendsNothingBeforeTheFirstSubmission() throws {
        let ((before, after), report) = try withPool(Eager(), kernel: KernelConfiguration(signals: .periodic(perSecond: 1000))) { pool, task in
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
}
