import IOWQ

/// The figures outside the `Counter` table that only some rows can measure, and which: everywhere
/// else their columns are empty, as an unobserved counter's are, never a measured 0.
enum Observed {
    /// The pool's exit (its teardown's time, and whether it hung): a peer pool has none to time.
    static let exit: Counter.Observers = [.model, .liveKernel]
    /// The worker record and stack sizes: constants of the model pool, not the kernel's or a peer's.
    static let workerFootprint: Counter.Observers = .model
    /// Waits for completions that a signal cut short (EINTR from io_uring_enter): the kernel row's.
    static let waitInterruptions: Counter.Observers = .liveKernel

    /// What the rows of the strategy named `name` observe: its backend's, or everything when this
    /// build does not know it (a merged row from another build keeps what it wrote).
    static func observer(ofStrategy name: String) -> Counter.Observers {
        StrategyCatalog.all.first { $0.name == name }?.backend.observer ?? .all
    }
}
