#define _GNU_SOURCE
#include "CPoolShims.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

int iowq_unblock_signal(int signo) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
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

/* The one handler of the injected signals, for both rows: a count per process (the live kernel's
 * delivered column, one trial per child), of those the ones that landed inside a blocking kernel
 * call, and a count per receiving thread (the model's task takes its own: several tasks may share a
 * process). Lock-free atomics only, so the handler is async-signal-safe; initial-exec TLS in the
 * executable, so the handler may touch it. */
static _Atomic long handled_total = 0;
static _Atomic long handled_in_syscall = 0;
static _Thread_local _Atomic long thread_handled[NSIG];
static _Thread_local volatile sig_atomic_t in_syscall = 0;

static void counting_handler(int signo) {
    atomic_fetch_add_explicit(&handled_total, 1, memory_order_relaxed);
    if (in_syscall) atomic_fetch_add_explicit(&handled_in_syscall, 1, memory_order_relaxed);
    if (signo > 0 && signo < NSIG) atomic_fetch_add_explicit(&thread_handled[signo], 1, memory_order_relaxed);
}

int iowq_install_counting_handler(int signo, bool restart) {
    struct sigaction action = {0};
    action.sa_handler = counting_handler;
    action.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&action.sa_mask);
    return sigaction(signo, &action, NULL) == 0 ? 0 : errno;
}

long iowq_handled_signals(void) { return atomic_load_explicit(&handled_total, memory_order_relaxed); }
long iowq_handled_signals_in_syscall(void) { return atomic_load_explicit(&handled_in_syscall, memory_order_relaxed); }

long iowq_take_thread_handled(int signo) {
    if (signo <= 0 || signo >= NSIG) return 0;
    return atomic_exchange_explicit(&thread_handled[signo], 0, memory_order_relaxed);
}

int iowq_set_injected_blocked(int first, int second, bool blocked) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, first);
    sigaddset(&set, second);
    return pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

void iowq_syscall_enter(void) { in_syscall = 1; }
void iowq_syscall_leave(void) { in_syscall = 0; }
int iowq_in_syscall(void) { return in_syscall; }
