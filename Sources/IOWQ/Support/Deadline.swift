import CPoolShims

/// A point on CLOCK_MONOTONIC. Every wait in the pool and its stand-ins takes one, so nothing in
/// the harness can wait forever.
public struct Deadline: Comparable, Sendable, Hashable {
    /// Nanoseconds on CLOCK_MONOTONIC; 0 means never.
    public let nanoseconds: UInt64

    public static let never = Deadline(nanoseconds: 0)

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func now() -> Deadline { Deadline(nanoseconds: iowq_now_ns()) }

    /// `duration` from now.
    public static func after(_ duration: Duration) -> Deadline {
        Deadline(nanoseconds: iowq_now_ns() &+ duration.nanoseconds)
    }

    public var hasPassed: Bool { self != .never && iowq_now_ns() >= nanoseconds }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        if lhs == .never { return false }
        if rhs == .never { return true }
        return lhs.nanoseconds < rhs.nanoseconds
    }
}

/// Monotonic time in nanoseconds, for latencies.
@inline(__always) public func monotonicNanoseconds() -> UInt64 { iowq_now_ns() }

extension Duration {
    /// The duration in whole nanoseconds, clamped at zero.
    public var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        // both components carry the sign: a negative duration under a second has seconds == 0
        if seconds < 0 || attoseconds < 0 { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
