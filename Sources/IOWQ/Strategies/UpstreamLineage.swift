/// The seed's fix as it was fixed again upstream: each preset is the seed strategy with the later
/// fixes applied cumulatively (docs/model.md §5), so every defect can be seen to appear in one
/// row and disappear in the next.
extension RetryViaWorkqueue {
    /// 5.15: exit cancel matches (3b33e3f4a6c0), cancel removes the item from the list first
    /// (713b9825a4c4), worker freed on failure (66e70be72288).
    public static let linux5_15 = RetryViaWorkqueue(name: "retry-5.15", defects: [.retriesDespiteFatalSignal, .exitNotRecheckedAfterQueueing])
    /// 5.16: no retry while a fatal signal is pending (a226abcd5d42); the exit bit tested again
    /// after a create request is queued (71a85387546e, with d800c65c2d4e dropping wqe->lock around
    /// the sleep path's queueing). Both reached 5.15 only through the stable backports.
    public static let linux5_16 = RetryViaWorkqueue(name: "retry-5.16", defects: [])
    /// Debian's 6.1 (6.1.192): 5.16 with the retry limit, WORKER_INIT_LIMIT (0453aad676ff, in
    /// 6.1.103; io_should_retry_thread, 6.1.192 io_uring/io-wq.c:815), retried through plain
    /// schedule_work (no backoff, io-wq.c:914), and the old activation: a free worker counts only if
    /// waking it woke it (io_wqe_activate_free_worker, io-wq.c:297; 22f7fb80e6d9 is 6.6).
    public static let linux6_1 = RetryViaWorkqueue(name: "retry-6.1", defects: [], retryLimit: 3, activation: .wokenOnly)
    /// 6.11: any free-list worker counts for enqueue (io_wq_activate_free_worker, 22f7fb80e6d9,
    /// 6.6; 6.12.118 io_uring/io-wq.c:302), and at most 3 retries per worker, WORKER_INIT_LIMIT
    /// (0453aad676ff; io_should_retry_thread, 6.12.118 io-wq.c:827).
    public static let linux6_11 = RetryViaWorkqueue(name: "retry-6.11", defects: [], retryLimit: 3, activation: .anyOnFreeList)
    /// 6.14: retry n waits n x 5 ms on delayed work (13918315c5dc).
    public static let linux6_14 = RetryViaWorkqueue(name: "retry-6.14", defects: [], retryLimit: 3, backoffStep: .milliseconds(5),
                                                     activation: .anyOnFreeList)
    /// 6.19: ERESTART* always retried, only EAGAIN bounded (34c78b8610a9); and, since 6.17,
    /// create_worker_cb first wakes a worker that went free (io_acct_activate_free_worker before
    /// the nr_workers test: 9d83e1f05c98, its accounting fixed by cd4ea81be3eb). The host's 6.18
    /// has that too, but not Debian's 6.12.118 (create_worker_cb, io-wq.c:342-366), which
    /// `retry-6.14` also stands for; for chain:N it changes nothing (every worker is busy when a
    /// sleep-path request runs).
    public static let linux6_19 = RetryViaWorkqueue(name: "retry-6.19", defects: [], retryLimit: 3, backoffStep: .milliseconds(5),
                                                     boundsOnlyEAGAIN: true, activation: .anyOnFreeList, sleepPathWakesFreeWorker: true)

    /// The presets in order, with what each adds and its Linux commits.
    public static let lineage: [(strategy: RetryViaWorkqueue, adds: String, commits: String)] = [
        (linux5_15, "exit cancel matches, cancel unlinks the item, worker freed on failure", "3b33e3f4a6c0 713b9825a4c4 66e70be72288"),
        (linux5_16, "no retry while a fatal signal is pending; exit re-checked after queueing", "a226abcd5d42 71a85387546e"),
        (linux6_1, "at most 3 retries per worker (WORKER_INIT_LIMIT, in 6.1.103); a batch still creates every worker inline", "0453aad676ff"),
        (linux6_11, "any free-list worker counts for enqueue (a batch creates one worker inline, the rest from the sleep path)", "22f7fb80e6d9"),
        (linux6_14, "retry n waits n x 5 ms (delayed work)", "13918315c5dc"),
        (linux6_19, "ERESTART* always retried; only EAGAIN bounded; a sleep-path request wakes a free worker first (6.17)", "34c78b8610a9 9d83e1f05c98"),
    ]
}
