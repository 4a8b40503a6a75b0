#define _GNU_SOURCE
#include "CPoolShims.h"

#include <errno.h>
#include <time.h>

int iowq_block_signal(int signo) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

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

static void ignoring_handler(int signo) { (void)signo; }

int iowq_install_ignoring_handler(int signo) {
    struct sigaction action = {0};
    action.sa_handler = ignoring_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(signo, &action, NULL) == 0 ? 0 : errno;
}

/* Per thread, so each submitting thread of a process answers for itself; initial-exec TLS in the
 * executable, so the signal handler may read it. */
static _Thread_local volatile sig_atomic_t in_syscall = 0;

void iowq_syscall_enter(void) { in_syscall = 1; }
void iowq_syscall_leave(void) { in_syscall = 0; }
int iowq_in_syscall(void) { return in_syscall; }
