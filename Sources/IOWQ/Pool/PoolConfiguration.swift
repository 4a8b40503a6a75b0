/// The pool's limits and timings.
public struct PoolConfiguration: Sendable, Hashable {
    /// Most workers of the bound group (bounded work: regular files, block devices).
    public var maxBoundWorkers: Int
    /// Most workers of the unbound group (work that may block for ever: sockets, pipes).
    public var maxUnboundWorkers: Int
    /// How long an idle worker waits for work before it exits (the last of its group stays).
    public var idleTimeout: Duration

    public init(maxBoundWorkers: Int = 8, maxUnboundWorkers: Int = 8, idleTimeout: Duration = .seconds(5)) {
        self.maxBoundWorkers = maxBoundWorkers
        self.maxUnboundWorkers = maxUnboundWorkers
        self.idleTimeout = idleTimeout
    }

    public func maxWorkers(_ group: GroupKind) -> Int {
        group == .bound ? maxBoundWorkers : maxUnboundWorkers
    }

    public func validate() throws(ConfigurationError) {
        for group in GroupKind.allCases where maxWorkers(group) < 1 {
            throw .invalid("max \(group) workers must be at least 1, not \(maxWorkers(group))")
        }
        guard idleTimeout > .zero else { throw .invalid("idle timeout must be positive") }
    }
}
