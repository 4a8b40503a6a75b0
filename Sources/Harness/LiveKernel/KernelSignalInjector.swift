#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import CURing
import IOWQ
import Synchronization

/// Sends SIGUSR1 to the submitting thread with real pthread_kill, from a thread of its own, on the
/// model's schedules. The submitter has a handler installed and the signal unblocked: only a
/// signal that is about to be *handled* makes the kernel see the task as signal-pending (and fail
/// create_io_thread, and interrupt waits); a blocked one does not.
///
/// Periodic and Poisson run on a clock this thread starts when the submitter asks, right before
/// its first submission (SignalClockStart, shared with the model's injector).
///
/// One-shot and storm are kicked by the submitter right before a submission and sent from here, so
/// the signal lands while the submission is in the kernel or just after it. The submitter cannot
/// send them to itself: a self-sent handled signal is delivered on the way out of tgkill, before
/// io_uring_enter ever starts.
final class KernelSignalInjector: @unchecked Sendable {
    static let signalNumber = SIGUSR1

    let schedule: SignalSchedule
    private let target: pthread_t
    /// One-shot or storm: sent when the submitter kicks, before its submissions.
    private let submissionDriven: SignalSchedule?
    /// Periodic or Poisson: sent on the clock.
    private let timed: SignalSchedule?
    private let kicks = Atomic<Int>(0)
    private let submissions = Atomic<Int>(0)
    private var sender: HelperThread?
    private let sentCount = Atomic<Int>(0)
    private let timedSentCount = Atomic<Int>(0)
    /// When the first signal was sent (0: none yet), CLOCK_MONOTONIC.
    private let firstSent = Atomic<UInt64>(0)
    /// Seeds the timed schedule's clock.
    private let seed: UInt64

    var sent: Int { sentCount.load(ordering: .acquiring) }
    /// When the first signal went out, nil if none did.
    var firstSentAt: UInt64? {
        let at = firstSent.load(ordering: .acquiring)
        return at == 0 ? nil : at
    }
    /// Of those, the ones the timed schedule sent: none means it did not act during the trial.
    var timedSent: Int { timedSentCount.load(ordering: .acquiring) }

    /// Installs the counting handler for the calling (submitting) thread and starts the sender.
    /// `restart`: install it with SA_RESTART. Fatal schedules are not applicable and never get here.
    init(schedule: SignalSchedule, seed: UInt64, restart: Bool) {
        self.schedule = schedule
        target = pthread_self()
        self.seed = seed
        submissionDriven = schedule.parts.first { part in
            switch part {
            case .oneShot, .storm: true
            default: false
            }
        }
        timed = schedule.parts.first { part in
            switch part {
            case .periodic, .poisson: true
            default: false
            }
        }
        _ = iowq_install_counting_handler(Self.signalNumber, restart)
        _ = iowq_unblock_signal(Self.signalNumber)
        guard submissionDriven != nil || timed != nil else { return }
        sender = HelperThread { [self] thread in self.run(thread) }
    }

    /// Signals handled in this process so far. Only submitting threads handle SIGUSR1 (everything
    /// else blocks it or is never its target), and a child runs one trial at a time.
    static var delivered: Int { iowq_handled_signals() }
    /// Of those, the ones that landed while the submitting thread was inside io_uring_enter.
    static var deliveredInEnter: Int { iowq_handled_signals_in_syscall() }

    /// The timed schedule's clock start, asked for right before the first submission.
    let clockStart = SignalClockStart()

    /// Called by the submitter right before each submission: before the first, the timed clock
    /// starts (SignalClockStart: the sender takes its origin and is running on it before the
    /// submission goes in, as the model's does); one-shot kicks before the first, storm before
    /// every one from its starting attempt on (attempts counted as submissions).
    func beforeSubmission() {
        let submission = submissions.wrappingAdd(1, ordering: .relaxed).newValue
        if submission == 1, timed != nil, let sender { clockStart.start { sender.wake() } }
        switch submissionDriven {
        case .oneShot?:
            guard submission == 1 else { return }
        case .storm(let fromAttempt)?:
            guard submission >= fromAttempt else { return }
        default:
            return
        }
        kicks.wrappingAdd(1, ordering: .releasing)
        sender?.wake()
    }

    /// Stops sending and waits (until `deadline`) for the sender to finish, so that no signal is
    /// sent to the submitting thread once it may have exited.
    func stop(deadline: Deadline) {
        sender?.stop(deadline: deadline)
    }

    private func send(timed: Bool = false) {
        let at = monotonicNanoseconds()
        guard pthread_kill(target, Self.signalNumber) == 0 else { return }
        _ = firstSent.compareExchange(expected: 0, desired: at, ordering: .releasing)
        sentCount.wrappingAdd(1, ordering: .relaxed)
        if timed { timedSentCount.wrappingAdd(1, ordering: .relaxed) }
    }

    private func run(_ thread: HelperThread) {
        iowq_precise_timers()
        defer {
            // a kick is a promise made before a submission: keep it even when stopping came first
            while kicks.load(ordering: .acquiring) > 0 {
                kicks.wrappingSubtract(1, ordering: .relaxed)
                send()
            }
        }
        var clock: SignalClock?
        while !thread.isStopping {
            while kicks.load(ordering: .acquiring) > 0 {
                kicks.wrappingSubtract(1, ordering: .relaxed)
                send()
            }
            if clock == nil, let timed, clockStart.isRequested {
                clock = SignalClock(timed, startingAt: clockStart.take(), seed: seed)
            }
            for _ in 0..<(clock?.takeDue(now: monotonicNanoseconds()) ?? 0) { send(timed: true) }
            let next = clock?.nextDue ?? .max
            thread.park(until: next == .max ? .after(.milliseconds(50)) : Deadline(nanoseconds: next))
        }
    }
}
