import IOWQ

/// What one trial's tracepoints say about its io-wq: the creations, retries and hops the kernel
/// does out of user space's sight. Read from the records of the trial's private tracefs instance
/// (KernelTrace), whose filters already keep them to the submitting thread and its io-wq workers,
/// except the system workqueue's queueings, which fire on whatever task the timer interrupted and
/// are matched here by address.
///
/// What each event means, in the trees the suite boots (6.12.118 io_uring/io-wq.c):
/// - `task_newtask` with CLONE_IO from the submitter or one of its workers: a worker created.
///   create_io_thread (kernel/fork.c:2773) is the only CLONE_IO caller here (no SQPOLL), and
///   copy_process traces it only on success (fork.c:2656, after the signal checks at 2252), so a
///   failed attempt leaves no event.
/// - `timer_start` of `delayed_work_timer_fn` from the submitter: a failed creation queued for
///   another try (queue_create_worker_retry, io-wq.c:841, reached from create_io_worker:935 or
///   create_worker_cont:867 when io_should_retry_thread says yes); `[timeout=N]` is its delay in
///   jiffies (msecs_to_jiffies(init_retries * 5): 2, 3, 4 at HZ 250).
/// - `workqueue_queue_work` of `io_workqueue_create`: that retry reaching the system workqueue (a
///   kworker hop). With the backoff it is queued from the timer softirq, on any task, so it is
///   ours when its work_struct sits right before one of our timers (struct delayed_work: `work`,
///   then `timer`; the record's flags say softirq); kernels without the backoff (6.1.192 io-wq.c:868 and 915: schedule_work) queue it
///   from the submitter itself, and then it is also the retry.
/// - `io_uring_queue_async_work` from the submitter: a request punted to io-wq (io_queue_iowq,
///   io_uring.c:538, right before io_wq_enqueue). The first one on a fresh io-wq finds no worker
///   and starts the first creation attempt: its time stands for the first attempt's.
///
/// Give-ups (io_should_retry_thread saying no: the ladder ends, no event) are not seen, so the
/// attempts are not known: the attempts seen are the creations plus the retries.
struct KernelTraceObservation: Sendable, Equatable {
    var workersCreated = 0
    /// The tids of the workers created, from task_newtask's `pid`.
    var workerTIDs: Set<Int32> = []
    var retries = 0
    /// Delays of the retries, in jiffies, in order (empty before 6.12's backoff).
    var retryDelaysJiffies: [Int] = []
    var kworkerHops = 0
    var punted = 0
    /// Trace clock (CLOCK_MONOTONIC) of the first punt; nil if none.
    var firstPuntAt: UInt64?
    /// Whether system-workqueue queueings could be matched to our timers (pointers printed raw).
    var hopsAttributable = true

    /// `submitter`: the submitting thread's tid. The instance's filters keep every other event to
    /// it and its workers; the workqueue's (any task) are matched here. `pointersHashed`: the
    /// kernel printed hashed pointers, so a softirq's queueing cannot be matched to our timer.
    init(_ records: [TraceRecord], submitter: Int32, pointersHashed: Bool = false) {
        var timers = Set<UInt64>()
        let workerComm = "iou-wrk-\(submitter)"
        var sawDelayedRetry = false
        for record in records {
            switch record.event {
            case "task_newtask":
                workersCreated += 1
                if let tid = record.intField("pid").flatMap(Int32.init(exactly:)) { workerTIDs.insert(tid) }
            case "io_uring_queue_async_work":
                punted += 1
                if firstPuntAt == nil { firstPuntAt = record.nanoseconds }
            case "timer_start":
                retries += 1
                sawDelayedRetry = true
                if let timer = record.hexField("timer") { timers.insert(timer) }
                if let delay = record.intField("timeout") { retryDelaysJiffies.append(delay) }
            case "workqueue_queue_work":
                if record.inSoftirq {
                    // a delayed retry's timer firing, on whatever task it interrupted: ours only
                    // when its work_struct is one of our timers' (a softirq on the submitter too)
                    if let work = record.hexField("struct"), timers.contains(where: { Self.follows(work, $0) }) { kworkerHops += 1 }
                } else if record.pid == submitter || record.comm == workerComm {
                    // queued by the task (or a worker) itself: a retry without backoff (6.1's
                    // schedule_work), and its hop
                    kworkerHops += 1
                    retries += 1
                }
            default:
                continue
            }
        }
        hopsAttributable = !(pointersHashed && sawDelayedRetry)
    }

    /// struct delayed_work puts its timer right after its work_struct (32 bytes without lockdep;
    /// allow for debug fields): the queueing of `work` is the firing of `timer`.
    static func follows(_ work: UInt64, _ timer: UInt64) -> Bool {
        timer > work && timer - work <= 128
    }

    /// Fills the counters the trace observes.
    func fill(_ counters: inout CounterSnapshot) {
        counters[.threadsCreatedOnDemand] = workersCreated
        counters[.createRetries] = retries
        counters[.itemsPunted] = punted
        if hopsAttributable { counters[.kworkerHops] = kworkerHops } else { counters.markUnobserved([.kworkerHops]) }
        if let firstPuntAt { counters[.firstCreationAttemptAt] = Int(firstPuntAt) } else { counters.markUnobserved([.firstCreationAttemptAt]) }
    }
}
