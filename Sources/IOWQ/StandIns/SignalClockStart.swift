import Synchronization

/// How both rows' timed senders (the model's SignalInjector, the kernel anchor's
/// KernelSignalInjector) start their clock: the one protocol, so a storm meets the first
/// submission the same way in both.
///
/// Right before its first submission the submitter asks, wakes the sender and waits until the
/// sender has taken the clock's origin from its own clock: the sender is then running and parks on
/// the first due time (a timer), not on the submitter. Before this, the model's sender was woken
/// *by* the first submission and took its time to run, so the inline batch could outrun the storm
/// (one run at 100k/s: 329 signals sent, 20 delivered, no failure), while the kernel's sender
/// started its clock whenever its thread first ran. The kernel row can do exactly this (it is a
/// handshake between two of its own threads), so the model does the same.
public final class SignalClockStart: Sendable {
    private let requested = Atomic<Bool>(false)
    /// The clock's origin, taken by the sender (0: not yet).
    private let originNanoseconds = Atomic<UInt64>(0)
    private let submitter = Parker()

    /// How long the submitter waits for a sender that does not run (a loaded machine): then it
    /// goes on, and the clock starts whenever the sender gets to it.
    public static let patience = Duration.milliseconds(500)

    public init() {}

    /// The submitter: asks for the clock (`wake` wakes the sender) and waits until the sender took
    /// it or `patience` passed. Returns whether the clock was running when it returned.
    @discardableResult
    public func start(waking wake: () -> Void) -> Bool {
        guard !requested.exchange(true, ordering: .acquiringAndReleasing) else { return origin != nil }
        wake()
        let deadline = Deadline.after(Self.patience)
        while origin == nil && !deadline.hasPassed { submitter.park(until: deadline) }
        return origin != nil
    }

    /// The sender: whether the submitter asked.
    public var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// The sender: takes the origin (now, on its own clock) and lets the submitter go on.
    public func take() -> UInt64 {
        let now = monotonicNanoseconds()
        originNanoseconds.store(now, ordering: .releasing)
        submitter.unpark()
        return now
    }

    /// When the sender took the clock, nil before.
    public var origin: UInt64? {
        let at = originNanoseconds.load(ordering: .acquiring)
        return at == 0 ? nil : at
    }
}
