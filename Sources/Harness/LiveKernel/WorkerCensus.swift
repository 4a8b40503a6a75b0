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
