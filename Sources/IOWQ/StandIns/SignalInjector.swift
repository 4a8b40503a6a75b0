#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import Synchronization

/// Sends real signals to the task on a schedule. Creation-driven schedules (one-shot, storm) fire
/// from a hook right before each thread creation; timed ones (periodic, Poisson, fatal) from a
/// thread of their own, whose clock starts right before the first submission (SignalClockStart,
/// the protocol the kernel row's sender shares): a clock started at setup would spend a short
/// trial's whole life in its first period and send nothing while the work runs.
final class SignalInjector: @unchecked Sendable {
    let schedule: SignalSchedule
    /// The creation-driven part (one-shot, storm) and the timed part (periodic, poisson, fatal).
    private let creationDriven: SignalSchedule?
    private let timed: SignalSchedule?
    private let task: SubmitterTask
    private let oneShotFired = Atomic<Bool>(false)
    /// Creation attempts seen so far; only the task touches it.
    private var attempts = 0
    /// The timed schedule's thread, if the schedule has a timed part.
    private var thread: HelperThread?
    /// Seeds the timed schedule's clock.
    private let seed: UInt64
    /// The timed schedule's clock start, asked for at the first submission.
    let clockStart = SignalClockStart()
    private let timedSentCount = Atomic<Int>(0)

    init(schedule: SignalSchedule, task: SubmitterTask, seed: UInt64) {
        self.schedule = schedule
        self.task = task
        creationDriven = schedule.parts.first(where: \.isCreationDriven)
        timed = schedule.parts.first(where: \.isTimed)
        self.seed = seed
        if let timed {
            thread = HelperThread { [self] thread in self.send(timed, on: thread) }
            precondition(thread != nil, "cannot start the signal injector")
        }
    }

    /// Called on the task right before every thread creation attempt.
    func beforeCreation() {
        attempts += 1
        if attempts == 1 { task.counters.recordFirst(.firstCreationAttemptAt, at: monotonicNanoseconds()) }
        switch creationDriven {
        case .oneShot:
            if !oneShotFired.exchange(true, ordering: .relaxed) { task.send(.ordinary) }
        case .storm(let fromAttempt):
            if attempts >= fromAttempt { task.send(.ordinary) }
        default:
            break
        }
    }

    /// Starts the timed schedule's clock and waits until its thread runs on it. Called on the
    /// task right before its first submission.
    func beginWork() {
        guard let thread else { return }
        clockStart.start { thread.wake() }
    }

    /// Signals the timed schedule has sent: none means it did not act while it ran.
    var timedSent: Int { timedSentCount.load(ordering: .acquiring) }

    /// Stops the timed schedule and waits (until `deadline`) for its thread to finish.
    func stop(deadline: Deadline) {
        thread?.stop(deadline: deadline)
    }

    /// The timed part, on its own thread: a signal at every due time until stopped (the fatal
    /// signal once).
    private func send(_ timed: SignalSchedule, on thread: HelperThread) {
        iowq_precise_timers()
        while !clockStart.isRequested {
            if thread.isStopping { return }
            thread.park(until: .never)
        }
        // the origin is this thread's own now: the submitter goes on only once it is taken, so
        // the first due time is met by a running sender, as in the kernel row
        guard var clock = SignalClock(timed, startingAt: clockStart.take(), seed: seed) else { return }
        while clock.nextDue != .max {
            while !thread.isStopping && monotonicNanoseconds() < clock.nextDue {
                thread.park(until: Deadline(nanoseconds: clock.nextDue))
            }
            if thread.isStopping { return }
            for _ in 0..<clock.takeDue(now: monotonicNanoseconds()) {
                timedSentCount.wrappingAdd(1, ordering: .relaxed)
                task.send(clock.isFatal ? .fatal : .ordinary)
            }
        }
    }
}
