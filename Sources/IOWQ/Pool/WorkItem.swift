import Synchronization

/// One unit of work (io_wq_work). Items are classes so the pool can link them into its lists without
/// allocating, and so a harness can allocate them once and reuse them across iterations.
public final class WorkItem: @unchecked Sendable {
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Accounted to the unbound group instead of the bound one.
        public static let unbound = Flags(rawValue: 1 << 0)
        /// May run alongside running work: always asks for a worker when none is free.
        public static let concurrent = Flags(rawValue: 1 << 1)
        /// Completed as cancelled at enqueue.
        public static let cancel = Flags(rawValue: 1 << 2)
    }

    /// What the work does. It runs on a worker thread and returns the item's outcome.
    public typealias Body = @Sendable (borrowing WorkContext) -> Outcome

    public let flags: Flags
    /// Items with the same key run one at a time, in submission order.
    public let hashKey: Int?
    /// A caller-chosen number (an index into the caller's bookkeeping).
    public let tag: Int
    let body: Body

    /// The pending-list link; guarded by the pool's lock.
    var next: WorkItem?

    private let completions = Atomic<Int>(0)
    let cancelRequested = Atomic<Bool>(false)
    /// Set with release once the first completion has written `recordedOutcome` and
    /// `recordedCompletedAt`: the count alone is raised before they are written, so a reader that
    /// trusted it could see a completion without its outcome, or a stale time.
    private let published = Atomic<Bool>(false)
    private var recordedOutcome: Outcome?
    private var recordedCompletedAt: UInt64 = 0
    /// Monotonic nanoseconds; set by the caller or by enqueue when still 0.
    public var submittedAt: UInt64 = 0

    /// The first completion's outcome, once it is published; nil before (the item counts as hung).
    public var outcome: Outcome? { published.load(ordering: .acquiring) ? recordedOutcome : nil }
    /// When the first completion was recorded, once it is published; 0 before.
    public var completedAt: UInt64 { published.load(ordering: .acquiring) ? recordedCompletedAt : 0 }

    public init(flags: Flags = [], hashKey: Int? = nil, tag: Int = 0, body: @escaping Body) {
        self.flags = flags
        self.hashKey = hashKey
        self.tag = tag
        self.body = body
    }

    /// How many times the item was completed (1 when all is well).
    public var completionCount: Int { completions.load(ordering: .acquiring) }

    /// Makes the item ready to submit again. Only while nothing in a pool refers to it.
    public func reset() {
        completions.store(0, ordering: .relaxed)
        cancelRequested.store(false, ordering: .relaxed)
        published.store(false, ordering: .relaxed)
        recordedOutcome = nil
        recordedCompletedAt = 0
        submittedAt = 0
        next = nil
    }

    /// Records a completion; returns false when the item had already completed (a defect to count).
    func recordCompletion(_ outcome: Outcome) -> Bool {
        let previous = completions.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue
        guard previous == 0 else { return false }
        recordedOutcome = outcome
        recordedCompletedAt = monotonicNanoseconds()
        published.store(true, ordering: .releasing)
        return true
    }

    var hashBucket: Int? { hashKey.map { Int(UInt(bitPattern: $0) % UInt(WorkList.hashBuckets)) } }
}
