import Synchronization

/// A thread that answers every wake with a wake, stamping when it woke: the bare futex round trip
/// that calibration, the perf gate's probes and the micro benchmarks measure the pool against.
public final class RoundTripResponder: @unchecked Sendable {
    let reply = Parker()
    /// When the responder last woke to a request (monotonic nanoseconds).
    public let wokeAt = Atomic<UInt64>(0)
    private var thread: HelperThread?

    public init() {
        thread = HelperThread { [self] thread in
            while true {
                let notified = thread.park(until: .after(.seconds(10)))
                if thread.isStopping { return }
                guard notified else { continue }  // a quiet spell asks for no reply
                self.wokeAt.store(monotonicNanoseconds(), ordering: .releasing)
                self.reply.unpark()
            }
        }
        precondition(thread != nil, "cannot start the round-trip responder")
    }

    /// Wakes the responder and parks until it answers (or `deadline`).
    public func roundTrip(deadline: Deadline) {
        thread?.wake()
        reply.park(until: deadline)
    }

    public func stop() { thread?.stop(deadline: .after(.seconds(10))) }
}
