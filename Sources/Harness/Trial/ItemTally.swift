/// Where the submitted items ended: every item is in exactly one of ok, cancelled, failed, hung or
/// crashed;
/// completed twice counts a defect beside them. One trial's, or a configuration's trials added up.
public struct ItemTally: Codable, Sendable, Equatable {
    public var submitted = 0
    public var ok = 0
    public var cancelled = 0
    public var failed = 0
    /// Not completed by the trial's item deadline.
    public var hung = 0
    /// Not completed when the child running the trial died by a signal.
    public var crashed = 0
    /// Items completed more than once, over the pool's whole life (teardown included).
    public var completedTwice = 0

    public init() {}

    public mutating func add(_ other: ItemTally) {
        submitted += other.submitted
        ok += other.ok
        cancelled += other.cancelled
        failed += other.failed
        hung += other.hung
        crashed += other.crashed
        completedTwice += other.completedTwice
    }

    /// Every item is in one bucket: the tally's invariant, checked where it is made.
    var addsUp: Bool { ok + cancelled + failed + hung + crashed == submitted }
}
