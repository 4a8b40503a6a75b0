#ifndef IOWQ_CLINEAGEPROBE_H
#define IOWQ_CLINEAGEPROBE_H

/* The lineage fingerprint's measurement on the live kernel (bench fingerprint): one io-wq request
 * whose every worker creation meets a pending signal, and what the kernel does with it. */

#include <stdint.h>

/* What became of the probe's request. */
enum lp_outcome {
    LP_SETUP_FAILED = 0,   /* no ring, pipe, stack or thread: nothing measured (errno in setup_errno) */
    LP_CANCELLED = 1,      /* completed with -ECANCELED during the storm: creation gave up */
    LP_COMPLETED_IN_STORM = 2, /* completed during the storm: a creation slipped past the signals */
    LP_COMPLETED_AFTER = 3,    /* completed once the storm had stopped: creation retried until then */
    LP_NOTHING = 4,        /* no completion even after the settle time */
    LP_OTHER_ERROR = 5,    /* completed with another error during the storm (result holds it) */
};

struct lp_trial {
    int outcome;
    int result;               /* the request's completion result (0, -ECANCELED, ...) */
    int setup_errno;
    int storm_cycles;         /* times the task was held with a signal pending */
    int realtime;             /* 1: the thread ran SCHED_FIFO on one CPU (see lp_run_trial) */
    int64_t outcome_ns;       /* from the first failed creation to the completion (cancel or not) */
    int64_t after_storm_ns;   /* LP_COMPLETED_AFTER: from the storm's end to the completion */
    int64_t storm_ns;         /* how long the storm lasted */
};

/* Runs one probe on a fresh thread (so on a fresh io-wq). `signal` gets a do-nothing handler. Each
 * storm cycle holds the thread in a vfork wait (killable, so a signal does not wake it) while the
 * clone child sends it `signal` and sleeps `cycle_us`: task_work queued meanwhile (a worker
 * creation retried through the kernel's workqueue) runs when the wait ends, in get_signal, with the
 * signal still pending, so every creation fails as the seed's bug needs. The storm lasts at most
 * `storm_ms` after the first creation; then the request gets `settle_ms` to complete.
 * The thread runs SCHED_FIFO, pinned to its CPU, where it may: the kernel's workqueue worker that
 * carries a retry back (a normal kworker bound to that CPU) then runs only while the thread waits,
 * so each retry comes back in a storm cycle of its own instead of inside the task_work run of the
 * failure before it, and the cycles count the retries.
 * May never return on a kernel that retries back to back inside one task_work run: run it in a
 * process that can be killed. */
struct lp_trial lp_run_trial(int signal, int cycle_us, int storm_ms, int settle_ms);

/* The activation probe: `requests` IOSQE_ASYNC splices (blocking until written) in one
 * io_uring_enter from a fresh thread held SCHED_FIFO on its CPU, with io-wq bound to that CPU, so
 * no worker runs before the thread sleeps; the count is the threads the enter created. Kernels
 * before 22f7fb80e6d9 (6.6) count a free worker only if wake_up_process() woke it (6.1.192
 * io_uring/io-wq.c:297), and a worker just created is already running, so every request creates
 * its own (`requests` threads); from 6.6 any worker on the free list counts (one thread). */
#define LP_ACTIVATION_MAX_REQUESTS 8

struct lp_activation {
    int requests;
    int created_in_enter;     /* threads the enter added (-1: not measured) */
    int held;                 /* 1: SCHED_FIFO on one CPU with io-wq bound to it */
    int completed;            /* requests that completed ok once released */
    int setup_errno;
};

struct lp_activation lp_run_activation(int requests);

#endif
