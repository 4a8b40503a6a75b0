import CPoolShims

/// Which accounting group a worker or an item belongs to.
public enum GroupKind: Int, Sendable, CaseIterable, CustomStringConvertible {
    case bound = 0
    case unbound = 1

    public var description: String { self == .bound ? "bound" : "unbound" }
}

/// io_worker: one worker's record. Records live in jemalloc memory from the pool's allocator (not
/// the Swift heap), are linked into the pool's lists by pointer, and are freed by hand, as the
/// kernel frees them: a failure path that forgets to is a leak the allocator can count.
struct WorkerRecord {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let up = Flags(rawValue: 1 << 0)
        static let running = Flags(rawValue: 1 << 1)
        static let free = Flags(rawValue: 1 << 2)
    }

    /// The futex word the thread parks on; first, so that its address is the record's.
    var parkWord: UInt32 = 0
    let pool: IOWorkQueue
    let group: GroupKind
    /// Everything below is guarded by the pool's lock.
    var flags: Flags = []
    /// Parked and not yet woken: an idle wake-up may pick this worker (wake_up_process's "true").
    var sleeping = false
    /// Set when the thread is allowed to start (wake_up_new_task).
    var started = false
    /// Owns the worker's single create request (create_state bit 0): a queued task_work or kworker
    /// item that points at this record.
    var createPending = false
    /// The group the pending create request is for (create_index).
    var createGroup: GroupKind
    /// Failed creation attempts of this record so far (init_retries, 6.11+).
    var initRetries = 0
    /// The item running now, for cancellation.
    var currentWork: WorkItem?
}

/// A handle to a worker record: a pointer, no reference count (the kernel's `struct io_worker *`).
/// Opaque outside the module: strategies receive it and pass it back to the pool.
public struct Worker: Equatable, @unchecked Sendable {
    let record: UnsafeMutablePointer<WorkerRecord>

    init(_ record: UnsafeMutablePointer<WorkerRecord>) { self.record = record }

    init(argument: UnsafeMutableRawPointer) {
        record = argument.assumingMemoryBound(to: WorkerRecord.self)
    }

    var argument: UnsafeMutableRawPointer { UnsafeMutableRawPointer(record) }
    var pool: IOWorkQueue { record.pointee.pool }
    var group: GroupKind { record.pointee.group }

    private var parkWord: UnsafeMutablePointer<UInt32> {
        UnsafeMutableRawPointer(record)
            .advanced(by: MemoryLayout<WorkerRecord>.offset(of: \.parkWord)!)
            .assumingMemoryBound(to: UInt32.self)
    }

    @discardableResult
    func park(until deadline: Deadline) -> Bool { iowq_park(parkWord, deadline.nanoseconds) }
    func unpark() { iowq_unpark(parkWord) }

    public static func == (lhs: Worker, rhs: Worker) -> Bool { lhs.record == rhs.record }
}
