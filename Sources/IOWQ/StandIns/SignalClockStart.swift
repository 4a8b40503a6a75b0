import CPoolShims
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
///
/// The sender also leaves the submitter's CPU when it takes the clock: which CPU the scheduler
/// puts it on decides a storm's whole trial, and differently in the two rows. Traced on the host
/// (`repro/chain-storm.c`, 25 trials at 100k/s), the woken sender shared the submitter's CPU in
/// 22: it can then send only while the submitter sleeps, so the inline creation of the enter always
/// succeeded; in the 3 where it ran on the other CPU, signals came inside the enter and the
/// creation failed every time. With the sender held on the other CPU, `chain:16` hung 21 of 40
/// there against 34 of 40 held on the same one (10k: 35 and 36 of 40). A storm from another CPU
/// (another thread or process signalling) is what the rows measure, in both.
public final class SignalClockStart: Sendable {
    private let requested = Atomic<Bool>(false)
    /// The clock's origin, taken by the sender (0: not yet).
    private let originNanoseconds = Atomic<UInt64>(0)
    private let submitter = Parker()
    /// The CPU the submitter asked from (-1: unknown).
    let submitterCPU = Atomic<Int32>(-1)

    /// How long the submitter waits for a sender that does not run (a loaded machine): then it
    /// goes on, and the clock starts whenever the sender gets to it.
    public static let patience = Duration.milliseconds(500)

    public init() {}

    /// The submitter: asks for the clock (`wake` wakes the sender) and waits until the sender took
    /// it or `patience` passed. Returns whether the clock was running when it returned.
    @discardableResult
    public func start(waking wake: () -> Void) -> Bool {
        submitterCPU.store(iowq_current_cpu(), ordering: .relaxed)
        guard !requested.exchange(true, ordering: .acquiringAndReleasing) else { return origin != nil }
        wake()
        let deadline = Deadline.after(Self.patience)
        while origin == nil && !deadline.hasPassed { submitter.park(until: deadline) }
        return origin != nil
    }

    /// The sender: whether the submitter asked.
    public var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// The sender: moves off the submitter's CPU, takes the origin (now, on its own clock) and
    /// lets the submitter go on.
    public func take() -> UInt64 {
        _ = iowq_pin_away_from_cpu(submitterCPU.load(ordering: .relaxed))
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
