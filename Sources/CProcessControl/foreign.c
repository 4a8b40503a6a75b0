#define _GNU_SOURCE
#include "CProcessControl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
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
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    /* fd 3 the events (dup2 clears close-on-exec), stdin the control, stdout and stderr the log */
    posix_spawn_file_actions_adddup2(&actions, control[0], STDIN_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_adddup2(&actions, events[1], 3);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setsigmask(&attributes, &none);
    /* a group of its own: the harness ends the program and whatever it forked with one kill */
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    int rc = posix_spawn(pid, path, &actions, &attributes, argv, envp ? envp : environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
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
