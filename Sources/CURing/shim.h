#ifndef IOWQ_CURING_SHIM_H
#define IOWQ_CURING_SHIM_H

/* The system headers come first, so they are imported from the C library's own module before
 * liburing.h defines _GNU_SOURCE and _XOPEN_SOURCE: otherwise a clean build may compile them a
 * second time with other feature macros into this module, and fd_set no longer matches Glibc's. */
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <liburing.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

/* liburing's flags are macros, which Swift does not import: the ones the kernel anchor uses. */

static const unsigned iou_sqe_async = IOSQE_ASYNC;
static const unsigned iou_setup_cqsize = IORING_SETUP_CQSIZE;
static const unsigned iou_cancel_any = IORING_ASYNC_CANCEL_ANY;
static const unsigned iou_cancel_all = IORING_ASYNC_CANCEL_ALL;

/* Tags the anchor's own cancel requests, so their completions are never taken for an item's. */
static const uint64_t iou_cancel_tag = UINT64_MAX;

/* Unblocks `signo` in the calling thread, so it is delivered to the handler rather than left pending. */
static inline int iou_unblock_signal(int signo) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* Joins `thread`, giving up after `timeout_ns`: a submitting thread stuck in the kernel's exit path
 * (io_uring_cancel_generic) must not keep the harness waiting. Returns 0 or an errno (ETIMEDOUT). */
extern int pthread_timedjoin_np(pthread_t thread, void **result, const struct timespec *abstime);

static inline int iou_timed_join(pthread_t thread, uint64_t timeout_ns) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    uint64_t ns = (uint64_t)deadline.tv_nsec + timeout_ns % 1000000000ull;
    deadline.tv_sec += (time_t)(timeout_ns / 1000000000ull + ns / 1000000000ull);
    deadline.tv_nsec = (long)(ns % 1000000000ull);
    return pthread_timedjoin_np(thread, NULL, &deadline);
}

#endif
