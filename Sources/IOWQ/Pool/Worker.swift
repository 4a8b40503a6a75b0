import CPoolShims

/// io_worker: one worker's state that the pool's lock guards. It lives in a `WorkerSlot`.
struct WorkerRecord {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let up = Flags(rawValue: 1 << 0)
        static let running = Flags(rawValue: 1 << 1)
        static let free = Flags(rawValue: 1 << 2)
    }

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
    /// Blocked inside `blockingOnOtherWork`: only other work of this pool can wake it.
    var waitsOnOtherWork = false
}

/// One worker's allocation. Slots live in jemalloc memory from the pool's allocator (not the Swift
/// heap), are linked into the pool's lists by pointer, and are freed by hand, as the kernel frees
/// its records: a failure path that forgets to is a leak the allocator can count.
///
/// What threads use without the lock (the futex word, atomically; the pool and group, which never
/// change) comes before the record, which is only touched under the lock: an access to
/// `record.pointee` covers the whole record, so it must not cover anything used without the lock.
struct WorkerSlot {
    /// The futex word the thread parks on.
    var parkWord: UInt32 = 0
    let group: GroupKind
    let pool: IOWorkQueue
    var record: WorkerRecord
}

/// A handle to a worker record: a pointer, no reference count (the kernel's `struct io_worker *`).
/// Opaque outside the module: strategies receive it and pass it back to the pool.
public struct Worker: Equatable, @unchecked Sendable {
    let record: UnsafeMutablePointer<WorkerRecord>

    init(_ slot: UnsafeMutablePointer<WorkerSlot>) {
        record = UnsafeMutableRawPointer(slot)
            .advanced(by: Self.recordOffset)
            .assumingMemoryBound(to: WorkerRecord.self)
    }

    init(argument: UnsafeMutableRawPointer) {
        record = argument.assumingMemoryBound(to: WorkerRecord.self)
    }

    private static let recordOffset = MemoryLayout<WorkerSlot>.offset(of: \.record)!
    private static let parkWordOffset = MemoryLayout<WorkerSlot>.offset(of: \.parkWord)!

    var argument: UnsafeMutableRawPointer { UnsafeMutableRawPointer(record) }
    var pool: IOWorkQueue { slot.pointee.pool }
    var group: GroupKind { slot.pointee.group }

    /// The allocation the record lives in.
    var slot: UnsafeMutablePointer<WorkerSlot> {
        UnsafeMutableRawPointer(record)
            .advanced(by: -Self.recordOffset)
            .assumingMemoryBound(to: WorkerSlot.self)
    }

    private var parkWord: UnsafeMutablePointer<UInt32> {
        UnsafeMutableRawPointer(slot)
            .advanced(by: Self.parkWordOffset)
            .assumingMemoryBound(to: UInt32.self)
    }

    @discardableResult
    func park(until deadline: Deadline) -> Bool { iowq_park(parkWord, deadline.nanoseconds) }
    func unpark() { iowq_unpark(parkWord) }

    public static func == (lhs: Worker, rhs: Worker) -> Bool { lhs.record == rhs.record }
}
