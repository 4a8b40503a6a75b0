#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import CProcessControl
import CURing
import IOWQ
import Synchronization

/// Counts the kernel's io-wq workers of one task from a thread of its own: every millisecond it
/// lists the threads of this process named "iou-wrk-<task tid>" (/proc/self/task/*/comm). The
/// kernel does not tell user space how many workers it created, so this is the count: distinct
/// tids seen, and the most seen at once. A worker that lives less than a sampling period can be
/// missed; io-wq workers stay for seconds when idle, so within a trial that is rare.
final class WorkerCensus: @unchecked Sendable {
    private let taskTID: Int32
    private let state = Mutex<(seen: Set<Int32>, peak: Int, last: Int)>(([], 0, 0))
    private var sampler: HelperThread?

    init(taskTID: Int32) {
        self.taskTID = taskTID
        sampler = HelperThread { [self] thread in
            while !thread.isStopping {
                self.sample()
                thread.park(until: .after(.milliseconds(1)))
            }
        }
    }

    /// One look at /proc, from any thread.
    func sample() {
        var tids = [Int32](repeating: 0, count: 2048)
        let count = Int(proc_list_io_workers(taskTID, &tids, Int32(tids.count)))
        guard count >= 0 else { return }
        state.withLock { state in
            for tid in tids.prefix(min(count, tids.count)) { state.seen.insert(tid) }
            state.peak = max(state.peak, count)
            state.last = count
        }
    }

    /// Where the workers wait now; nil when /proc cannot say.
    func waits() -> WorkerWaits? {
        var waits = WorkerWaits()
        let total = proc_io_worker_waits(taskTID, &waits.idle, &waits.blocked, &waits.unknown)
        guard total >= 0 else { return nil }
        waits.total = Int32(total)
        return waits
    }

    /// The workers' tids seen.
    var tids: Set<Int32> { state.withLock { $0.seen } }

    /// Distinct workers seen, the most alive at once, and how many the last sample saw.
    var counts: (created: Int, peak: Int, live: Int) {
        state.withLock { ($0.seen.count, $0.peak, $0.last) }
    }

    /// Stops sampling after one last sample, waiting (until `deadline`) for the sampler to finish.
    func stop(deadline: Deadline) {
        sampler?.stop(deadline: deadline)
        sample()
    }
}

/// Where a task's io-wq workers were waiting, from their wchan.
struct WorkerWaits: Sendable {
    var total: Int32 = 0
    /// Asleep in io_wq_worker's own loop: free for work.
    var idle: Int32 = 0
    /// Asleep anywhere else: inside a request.
    var blocked: Int32 = 0
    /// Running, or their wait could not be read.
    var unknown: Int32 = 0
}

extension HangKind {
    /// The kernel's best effort: all /proc shows is the io-wq threads and where they sleep, so a
    /// creation in flight or an exit's wait cannot be seen, and what does not fit is `unknown`.
    init(_ workers: WorkerWaits?) {
        guard let workers else {
            self = .unknown
            return
        }
        if workers.total == 0 {
            self = .noWorker
        } else if workers.blocked == workers.total {
            self = .workersBlocked
        } else {
            self = .unknown
        }
    }
}
