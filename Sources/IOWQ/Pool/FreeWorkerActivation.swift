/// Which free worker lets enqueue skip creating one (io_wq_activate_free_worker's test), the
/// change 22f7fb80e6d9 made in 6.6 ("don't gate worker wake up success on wake_up_process()").
public enum FreeWorkerActivation: String, Sendable, Hashable {
    /// Before 6.6: a free worker counts only if waking it woke it (`if (wake_up_process(...))`,
    /// 6.1.192 io_uring/io-wq.c:297). A worker just created, or already woken, is running, its wake
    /// fails and enqueue creates another: every enqueue of a batch creates its own worker inline.
    case wokenOnly
    /// From 6.6: any worker of the group on the free list counts, awake or asleep (6.12.118
    /// io_uring/io-wq.c:297-304). A new worker is put there (io_init_new_worker) and stays until it
    /// takes work (__io_worker_busy, io-wq.c:439), so one batch creates one worker inline; the rest
    /// come one at a time from the sleep path (io_wq_dec_running -> create_worker_cb), each once the
    /// worker before it blocked.
    case anyOnFreeList
}
