#define _GNU_SOURCE
#include "CSystemShims.h"

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

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>

extern char **environ;

static volatile sig_atomic_t stop_signal = 0;

static void stop_handler(int signo) { stop_signal = signo; }

void iowq_install_stop_handlers(void) {
    struct sigaction action = {0};
    action.sa_handler = stop_handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);   /* no SA_RESTART: blocking reads return EINTR */
    sigaction(SIGTERM, &action, NULL);
}

int iowq_stop_requested(void) { return stop_signal; }

int iowq_spawn(const char *path, char *const argv[], pid_t *pid, int *stdout_fd) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return errno;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    /* the child starts with default signal dispositions and an empty mask */
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    int rc = posix_spawn(pid, path, &actions, &attributes, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return rc;
    }
    *stdout_fd = fds[0];
    return 0;
}

int iowq_wait_readable(int fd, int timeout_ms) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int rc = poll(&p, 1, timeout_ms);
    if (rc < 0) return -1;
    return rc > 0 ? 1 : 0;
}

#include <sched.h>

int iowq_pin_to_current_cpu_batch(void) {
    int cpu = sched_getcpu();
    if (cpu < 0) return -1;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) return -1;
    struct sched_param param = {.sched_priority = 0};
    return pthread_setschedparam(pthread_self(), SCHED_BATCH, &param) == 0 ? cpu : -1;
}
