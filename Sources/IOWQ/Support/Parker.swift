import CPoolShims

/// One thread's futex word: `park` sleeps until `unpark` or a deadline. An `unpark` that comes first
/// is remembered, so a wake-up between "nothing to do" and "sleep" is never lost.
public final class Parker: @unchecked Sendable {
    private let word: UnsafeMutablePointer<UInt32>

    public init() {
        word = .allocate(capacity: 1)
        word.initialize(to: 0)
    }

    deinit { word.deallocate() }

    /// Returns true when woken by `unpark`, false when the deadline passed.
    @discardableResult
    public func park(until deadline: Deadline = .never) -> Bool {
        iowq_park(word, deadline.nanoseconds)
    }

    @discardableResult
    public func unpark() -> Bool { iowq_unpark(word) }
}
