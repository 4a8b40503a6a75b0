#include "CProcessControl.h"

#include <pthread.h>
#include <signal.h>
#include <stddef.h>

static volatile sig_atomic_t stop_signal = 0;

static void stop_handler(int signo) { stop_signal = signo; }

void proc_install_stop_handlers(void) {
    struct sigaction action = {0};
    action.sa_handler = stop_handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);   /* no SA_RESTART: blocking reads return EINTR */
    sigaction(SIGTERM, &action, NULL);
    /* a process started with them blocked (a signal mask is inherited across exec: a test
     * runner's thread, a service manager) would never see them, and would run to its end */
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &stops, NULL);
}

int proc_stop_requested(void) { return stop_signal; }
