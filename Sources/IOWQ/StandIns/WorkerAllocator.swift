import CJemalloc

/// kzalloc for worker records: every record comes from a jemalloc arena of this allocator's own,
/// bypassing the thread cache, so the arena's statistics are an exact count of live records. A
/// record that a failure path forgets to free shows up as leaked bytes after the pool is gone.
final class WorkerAllocator: @unchecked Sendable {
    private let arena: UInt32
    private let faults: FaultInjector
    private let counters: Counters

    /// `warming` records of that size are allocated and freed once here, at setup, so the
    /// arena's first slab is mapped and touched before work begins: kzalloc takes a worker from a
    /// warm slab cache (create_io_worker, 6.12.118 io_uring/io-wq.c:913), where a fresh arena's
    /// first record cost 15-85 us (p10-p90 of four 40-trial runs; 3-16 us warmed) and held the first creation's signal check that long
    /// after the submission began, the window in which a signal failed the whole batch.
    init(faults: FaultInjector, counters: Counters, warming recordSize: Int? = nil) {
        var ok = false
        arena = iowq_je_arena_create(&ok)
        precondition(ok, "jemalloc refused to create an arena (is libjemalloc linked?)")
        self.faults = faults
        self.counters = counters
        if let recordSize, let raw = iowq_je_alloc(arena, recordSize) { iowq_je_free(raw) }
    }

    /// Zeroed memory for one `T`, or nil when the fault plan says ENOMEM.
    func allocate<T>(_ type: T.Type) -> UnsafeMutablePointer<T>? {
        if faults.allocationFails() {
            counters.recordFailure(.ENOMEM)
            return nil
        }
        guard let raw = iowq_je_alloc(arena, MemoryLayout<T>.stride) else {
            counters.recordFailure(.ENOMEM)
            return nil
        }
        return raw.bindMemory(to: T.self, capacity: 1)
    }

    func free<T>(_ pointer: UnsafeMutablePointer<T>) {
        iowq_je_free(UnsafeMutableRawPointer(pointer))
    }

    /// Bytes live in the arena now (jemalloc's own statistics, size classes included).
    var liveBytes: Int { Int(iowq_je_arena_live_bytes(arena)) }

    /// What one record of `T` really costs: its jemalloc size class.
    static func recordBytes<T>(_ type: T.Type) -> Int {
        Int(nallocx(MemoryLayout<T>.stride, 0))
    }

    /// Returns the arena's memory to jemalloc. Only when nothing can touch a record any more.
    func destroy() {
        _ = iowq_je_arena_destroy(arena)
    }
}
