#if canImport(Glibc)
import Glibc
#endif
import CPoolShims

/// create_io_thread: makes a real thread, on the task only, and fails the way the kernel's would.
/// In this order: a fatal signal pending, any other injected signal pending, the fault plan, and
/// finally `pthread_create` itself.
final class ThreadFactory: @unchecked Sendable {
    /// The stack each worker thread gets.
    static let stackSize = 512 << 10

    private let task: SubmitterTask
    private let faults: FaultInjector
    private let injector: SignalInjector
    private let counters: Counters
    /// What creation returns while a fatal signal is pending (see `StandInKernelConfiguration`).
    private let fatalSignalError: Errno
    /// Attempts so far; only the task touches it.
    private var attempts = 0

    init(task: SubmitterTask, faults: FaultInjector, injector: SignalInjector, counters: Counters, fatalSignalError: Errno) {
        self.task = task
        self.faults = faults
        self.injector = injector
        self.counters = counters
        self.fatalSignalError = fatalSignalError
    }

    /// Starts `entry(argument)` on a new detached thread, or says why not.
    func createThread(
        _ entry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
        _ argument: UnsafeMutableRawPointer
    ) -> Errno? {
        if !task.isCurrentThread { counters.bump(.creationsOffTask) }
        // in the kernel, where a signal sent and not yet delivered is pending (enterFromUserSpace)
        assert(!task.isCurrentThread || !task.atUserLevel, "a creation on the task at user level cannot see a pending signal")
        injector.beforeCreation()
        counters.bump(.createAttempts)
        attempts += 1
        let error: Errno?
        if task.fatalSignalPending {
            error = fatalSignalError
        } else if task.signalPending {
            error = .ERESTARTNOINTR
        } else if let fault = faults.creationFault(attempt: attempts) {
            error = fault
        } else {
            var thread = pthread_t()
            let rc = iowq_thread_create(&thread, ThreadFactory.stackSize, entry, argument)
            error = rc == 0 ? nil : Errno(rawValue: rc)
        }
        if let error { counters.recordFailure(error) }
        return error
    }
}
