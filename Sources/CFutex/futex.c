#define _GNU_SOURCE
#include "CFutex.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PARKER_EMPTY 0u
#define PARKER_NOTIFIED 1u
#define PARKER_PARKED UINT32_MAX

static long futex(uint32_t *word, int op, uint32_t value, const struct timespec *ts, uint32_t mask) {
    return syscall(SYS_futex, word, op, value, ts, NULL, mask);
}

uint64_t iowq_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool iowq_park(uint32_t *word, uint64_t deadline_ns) {
    _Atomic uint32_t *state = (_Atomic uint32_t *)word;
    /* notified -> empty, or empty -> parked */
    if (atomic_fetch_sub_explicit(state, 1, memory_order_acquire) == PARKER_NOTIFIED)
        return true;
    for (;;) {
        struct timespec ts, *tsp = NULL;
        if (deadline_ns) {
            if (iowq_now_ns() >= deadline_ns)
                break;
            ts.tv_sec = (time_t)(deadline_ns / 1000000000ull);
            ts.tv_nsec = (long)(deadline_ns % 1000000000ull);
            tsp = &ts;
        }
        futex(word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, PARKER_PARKED, tsp, FUTEX_BITSET_MATCH_ANY);
        uint32_t expected = PARKER_NOTIFIED;
        if (atomic_compare_exchange_strong_explicit(state, &expected, PARKER_EMPTY,
                                                    memory_order_acquire, memory_order_relaxed))
            return true;
        /* spurious wake-up, EINTR or time-out: go round and check the deadline */
    }
    /* timed out: leave the parked state; a notification that raced in still counts */
    return atomic_exchange_explicit(state, PARKER_EMPTY, memory_order_acquire) == PARKER_NOTIFIED;
}

bool iowq_unpark(uint32_t *word) {
    _Atomic uint32_t *state = (_Atomic uint32_t *)word;
    if (atomic_exchange_explicit(state, PARKER_NOTIFIED, memory_order_release) != PARKER_PARKED)
        return false;
    futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, 0);
    return true;
}

int iowq_gettid(void) {
    return (int)syscall(SYS_gettid);
}

int iowq_block_signal(int signo) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int iowq_block_all_signals(void) {
    sigset_t set;
    sigfillset(&set);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

bool iowq_signal_is_pending(int signo) {
    sigset_t set;
    sigemptyset(&set);
    if (sigpending(&set) != 0)
        return false;
    return sigismember(&set, signo) == 1;
}

bool iowq_consume_signal(int signo) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    struct timespec zero = {0, 0};
    return sigtimedwait(&set, NULL, &zero) == signo;
}

static void ignoring_handler(int signo) { (void)signo; }

int iowq_install_ignoring_handler(int signo) {
    struct sigaction action = {0};
    action.sa_handler = ignoring_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(signo, &action, NULL) == 0 ? 0 : errno;
}

int iowq_thread_create(pthread_t *thread, size_t stack_size, void *(*entry)(void *), void *argument) {
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc) return rc;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (stack_size) pthread_attr_setstacksize(&attr, stack_size);
    rc = pthread_create(thread, &attr, entry, argument);
    pthread_attr_destroy(&attr);
    return rc;
}
