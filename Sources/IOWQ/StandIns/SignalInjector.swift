#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import Synchronization

/// Sends real signals to the task on a schedule. Creation-driven schedules (one-shot, storm) fire
/// from a hook right before each thread creation; timed ones (periodic, Poisson, fatal) from a
/// thread of their own.
final class SignalInjector: @unchecked Sendable {
    let schedule: SignalSchedule
    /// The creation-driven part (one-shot, storm) and the timed part (periodic, poisson, fatal).
    private let creationDriven: SignalSchedule?
    private let timed: SignalSchedule?
    private let task: SubmitterTask
    private let oneShotFired = Atomic<Bool>(false)
    /// Creation attempts seen so far; only the task touches it.
    private var attempts = 0
    private let stopping = Atomic<Bool>(false)
    private let wake = Parker()
    private let finished = Parker()
    private let threadRunning = Atomic<Bool>(false)
    private var random: SeededRandom

    init(schedule: SignalSchedule, task: SubmitterTask, seed: UInt64) {
        self.schedule = schedule
        self.task = task
        creationDriven = schedule.parts.first(where: \.isCreationDriven)
        timed = schedule.parts.first(where: \.isTimed)
        random = SeededRandom(seed: seed ^ 0x516_7A15)
        if timed != nil {
            threadRunning.store(true, ordering: .relaxed)
            var thread = pthread_t()
            let rc = iowq_thread_create(&thread, 256 << 10, signalInjectorEntry, Unmanaged.passRetained(self).toOpaque())
            precondition(rc == 0, "cannot start the signal injector: errno \(rc)")
        }
    }

    /// Called on the task right before every thread creation attempt.
    func beforeCreation() {
        attempts += 1
        switch creationDriven {
        case .oneShot:
            if !oneShotFired.exchange(true, ordering: .relaxed) { task.send(.ordinary) }
        case .storm(let fromAttempt):
            if attempts >= fromAttempt { task.send(.ordinary) }
        default:
            break
        }
    }

    /// Stops the timed schedule and waits (until `deadline`) for its thread to finish.
    func stop(deadline: Deadline) {
        stopping.store(true, ordering: .releasing)
        wake.unpark()
        while threadRunning.load(ordering: .acquiring) {
            if deadline.hasPassed { return }
            finished.park(until: deadline)
        }
    }

    fileprivate func run() {
        iowq_block_all_signals()
        defer {
            threadRunning.store(false, ordering: .releasing)
            finished.unpark()
        }
        var next = monotonicNanoseconds()
        while !stopping.load(ordering: .acquiring) {
            switch timed {
            case .periodic(let rate):
                next &+= UInt64(1e9 / rate)
            case .poisson(let rate):
                let u = max(random.nextUnit(), 1e-12)
                next &+= UInt64(-log(u) / rate * 1e9)
            case .fatal(let delay):
                next &+= delay.nanoseconds
            default:
                return
            }
            while !stopping.load(ordering: .acquiring) && monotonicNanoseconds() < next {
                wake.park(until: Deadline(nanoseconds: next))
            }
            if stopping.load(ordering: .acquiring) { return }
            if case .fatal = timed {
                task.send(.fatal)
                return
            }
            task.send(.ordinary)
        }
    }
}

/// Entry point of the injector's thread.
private func signalInjectorEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<SignalInjector>.fromOpaque(argument!).takeRetainedValue().run()
    return nil
}
