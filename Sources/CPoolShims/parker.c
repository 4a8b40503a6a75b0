#define _GNU_SOURCE
#include "CPoolShims.h"

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
