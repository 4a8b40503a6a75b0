#define _GNU_SOURCE
#include "CLineageProbe.h"

#include <liburing.h>

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LP_STACK_BYTES (64 * 1024)
#define LP_CREATION_DATA 2

static int64_t lp_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void lp_ignore(int signal) { (void)signal; }

struct lp_cycle {
    pid_t tgid, tid;
    int signal;
    int write_fd;     /* >= 0 on the first cycle: releases the request the creation is for */
    long sleep_ns;
};

/* The clone child: shares the thread's memory and runs while the thread waits for it (CLONE_VFORK).
 * Raw system calls only, on its own stack; no sanitizer instrumentation (it is not a thread the
 * sanitizer knows). */
__attribute__((no_sanitize("thread", "address")))
static int lp_cycle_child(void *argument) {
    struct lp_cycle *cycle = argument;
    syscall(SYS_tgkill, cycle->tgid, cycle->tid, cycle->signal);
    if (cycle->write_fd >= 0) {
        char byte = 1;
        syscall(SYS_write, cycle->write_fd, &byte, 1);
    }
    struct timespec pause = {0, cycle->sleep_ns};
    syscall(SYS_nanosleep, &pause, NULL);
    return 0;
}

typedef int (*lp_clone_fn)(int (*)(void *), void *, int, void *, ...);

/* The C library's clone, past any interposer: ThreadSanitizer's own clone cannot follow a
 * CLONE_VM | CLONE_VFORK child, and the child here runs no instrumented code. */
static lp_clone_fn lp_libc_clone(void) {
    static lp_clone_fn found;
    if (found == NULL) {
        found = (lp_clone_fn)dlsym(RTLD_NEXT, "clone");
        if (found == NULL) found = clone;
    }
    return found;
}

struct lp_arguments {
    int signal, cycle_us, storm_ms, settle_ms;
    struct lp_trial result;
};

/* The request's completion if it has come: 1 and its result, else 0. */
static int lp_take(struct io_uring *ring, int *result) {
    struct io_uring_cqe *cqe;
    int found = 0;
    while (io_uring_peek_cqe(ring, &cqe) == 0) {
        if (cqe->user_data == LP_CREATION_DATA) {
            *result = cqe->res;
            found = 1;
        }
        io_uring_cqe_seen(ring, cqe);
    }
    return found;
}

static void *lp_trial_thread(void *raw) {
    struct lp_arguments *arguments = raw;
    struct lp_trial *out = &arguments->result;
    memset(out, 0, sizeof(*out));
    /* One CPU, above every normal task: see lp_run_trial in the header. */
    int cpu = sched_getcpu();
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        struct sched_param priority = {.sched_priority = 1};
        out->realtime = pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0
            && pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority) == 0;
    }
    struct io_uring ring;
    int gate[2];
    int rc = io_uring_queue_init(8, &ring, 0);
    if (rc < 0) { out->setup_errno = -rc; return NULL; }
    if (pipe2(gate, O_CLOEXEC) != 0) { out->setup_errno = errno; io_uring_queue_exit(&ring); return NULL; }
    void *stack = mmap(NULL, LP_STACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) { out->setup_errno = errno; goto done_pipes; }

    /* A: a read of the empty gate pipe (it arms poll and needs no worker), linked to B: a no-op
     * forced to io-wq. B is queued, and its worker created, from the task_work that completes A. */
    static char byte;
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    io_uring_prep_read(sqe, gate[0], &byte, 1, 0);
    sqe->flags |= IOSQE_IO_LINK;
    sqe->user_data = 1;
    sqe = io_uring_get_sqe(&ring);
    io_uring_prep_nop(sqe);
    sqe->flags |= IOSQE_ASYNC;
    sqe->user_data = LP_CREATION_DATA;
    rc = io_uring_submit(&ring);
    if (rc != 2) { out->setup_errno = rc < 0 ? -rc : EIO; goto done_stack; }

    struct lp_cycle cycle = {getpid(), (pid_t)syscall(SYS_gettid), arguments->signal, gate[1], (long)arguments->cycle_us * 1000};
    int64_t first = 0, storm_end = 0;
    int result = 0;
    out->outcome = LP_NOTHING;
    for (;;) {
        pid_t child = lp_libc_clone()(lp_cycle_child, (char *)stack + LP_STACK_BYTES, CLONE_VM | CLONE_VFORK | SIGCHLD, &cycle);
        if (child < 0) { out->setup_errno = errno; out->outcome = LP_SETUP_FAILED; goto reap; }
        out->storm_cycles++;
        int64_t now = lp_now();
        if (first == 0) first = now;  /* A completed and B's first creation failed in this cycle's end */
        cycle.write_fd = -1;
        if (lp_take(&ring, &result)) {
            out->result = result;
            out->outcome_ns = now - first;
            out->outcome = result == -ECANCELED ? LP_CANCELLED : result == 0 ? LP_COMPLETED_IN_STORM : LP_OTHER_ERROR;
            storm_end = now;
            break;
        }
        if (now - first >= (int64_t)arguments->storm_ms * 1000000) { storm_end = now; break; }
    }
    out->storm_ns = storm_end - first;
    if (out->outcome == LP_NOTHING) {
        struct __kernel_timespec wait = {arguments->settle_ms / 1000, (long long)(arguments->settle_ms % 1000) * 1000000};
        int64_t deadline = lp_now() + (int64_t)arguments->settle_ms * 1000000;
        while (lp_now() < deadline) {
            struct io_uring_cqe *cqe;
            rc = io_uring_wait_cqe_timeout(&ring, &cqe, &wait);
            if (rc == -ETIME) break;
            if (rc < 0 && rc != -EINTR) break;
            if (lp_take(&ring, &result)) {
                int64_t now = lp_now();
                out->result = result;
                out->outcome = LP_COMPLETED_AFTER;
                out->outcome_ns = now - first;
                out->after_storm_ns = now - storm_end;
                break;
            }
        }
    }
reap:
    while (waitpid(-1, NULL, WNOHANG | __WALL) > 0) {}
done_stack:
    munmap(stack, LP_STACK_BYTES);
done_pipes:
    close(gate[0]);
    close(gate[1]);
    io_uring_queue_exit(&ring);
    return NULL;
}

struct lp_trial lp_run_trial(int signal, int cycle_us, int storm_ms, int settle_ms) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = lp_ignore;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, NULL);
    struct lp_arguments arguments = {signal, cycle_us, storm_ms, settle_ms, {0}};
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, lp_trial_thread, &arguments);
    if (rc != 0) {
        arguments.result.outcome = LP_SETUP_FAILED;
        arguments.result.setup_errno = rc;
        return arguments.result;
    }
    pthread_join(thread, NULL);
    return arguments.result;
}
