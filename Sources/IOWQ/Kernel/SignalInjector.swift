#if canImport(Glibc)
import Glibc
#endif
import CSystemShims
import Synchronization

/// Sends real signals to the task on a schedule. Creation-driven schedules (one-shot, storm) fire
/// from a hook right before each thread creation; timed ones (periodic, Poisson, fatal) from a
/// thread of their own.
final class SignalInjector: @unchecked Sendable {
    let schedule: SignalSchedule
    private let task: SubmitterTask
    private let oneShotFired = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let wake = Parker()
    private let finished = Parker()
    private let threadRunning = Atomic<Bool>(false)
    private var random: SeededRandom

    init(schedule: SignalSchedule, task: SubmitterTask, seed: UInt64) {
        self.schedule = schedule
        self.task = task
        random = SeededRandom(seed: seed ^ 0x516_7A15)
        switch schedule {
        case .periodic, .poisson, .fatal:
            threadRunning.store(true, ordering: .relaxed)
            var thread = pthread_t()
            let rc = iowq_thread_create(&thread, 256 << 10, signalInjectorEntry, Unmanaged.passRetained(self).toOpaque())
            precondition(rc == 0, "cannot start the signal injector: errno \(rc)")
        case .none, .oneShot, .storm:
            break
        }
    }

    /// Called on the task right before every thread creation attempt.
    func beforeCreation() {
        switch schedule {
        case .oneShot:
            if !oneShotFired.exchange(true, ordering: .relaxed) { task.send(.ordinary) }
        case .storm:
            task.send(.ordinary)
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
            switch schedule {
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
            if case .fatal = schedule {
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
