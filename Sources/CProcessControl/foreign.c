#define _GNU_SOURCE
#include "CProcessControl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

int proc_spawn_foreign(const char *path, char *const argv[], char *const envp[], const char *output_path,
                       pid_t *pid, int *events_fd, int *control_fd) {
    int events[2], control[2];
    if (pipe2(events, O_CLOEXEC) != 0) return errno;
    if (pipe2(control, O_CLOEXEC) != 0) {
        int saved = errno;
        close(events[0]);
        close(events[1]);
        return saved;
    }
    /* the pipe's write end well above 3, so the dup2 onto fd 3 below never meets itself (which
     * would leave it close-on-exec) nor the stdin end */
    int high = fcntl(events[1], F_DUPFD_CLOEXEC, 10);
    if (high < 0) {
        int saved = errno;
        close(events[0]); close(events[1]); close(control[0]); close(control[1]);
        return saved;
    }
    close(events[1]);
    events[1] = high;
    /* fork, not posix_spawn: the child must ask to die with this thread (PR_SET_PDEATHSIG) and
     * take a group of its own before it runs the program; between fork and exec it calls only
     * async-signal-safe functions */
    pid_t parent = getpid();
    int log = open(output_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log < 0) {
        int saved = errno;
        close(events[0]); close(events[1]); close(control[0]); close(control[1]);
        return saved;
    }
    pid_t child = fork();
    if (child == 0) {
        /* a group of its own: the harness ends the program and whatever it forked with one kill */
        setpgid(0, 0);
        /* a bench child killed outright cannot end the program itself */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
        sigset_t none;
        sigemptyset(&none);
        struct sigaction fallback = {.sa_handler = SIG_DFL};
        for (int signal = 1; signal < NSIG; signal++) sigaction(signal, &fallback, NULL);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* stdin the control, stdout and stderr the log, fd 3 the events (dup2 clears close-on-exec) */
        if (dup2(control[0], STDIN_FILENO) < 0 || dup2(log, STDOUT_FILENO) < 0 || dup2(log, STDERR_FILENO) < 0
            || dup2(events[1], 3) < 0) _exit(127);
        execve(path, argv, envp ? envp : environ);
        _exit(127);
    }
    int rc = child < 0 ? errno : 0;
    close(log);
    if (child > 0) *pid = child;
    close(events[1]);
    close(control[0]);
    if (rc != 0) {
        close(events[0]);
        close(control[1]);
        return rc;
    }
    *events_fd = events[0];
    *control_fd = control[1];
    return 0;
}
