#define _GNU_SOURCE
#include "CProcessControl.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int proc_die_with_parent(void) {
    const char *text = getenv(PROC_PARENT_PID_VARIABLE);
    if (text == NULL) return 0;
    char *end = NULL;
    long expected = strtol(text, &end, 10);
    int valid = *text != '\0' && *end == '\0' && expected > 1;
    /* this process's own children get their own (ChildProcess sets it), its other ones none */
    unsetenv(PROC_PARENT_PID_VARIABLE);
    if (!valid) return 0;
    /* SIGKILL when the thread that spawned this process exits: a parent killed outright cannot
     * kill its children itself, and a child trapped in a pool (libdispatch's retry loop) would
     * run on, reparented, for ever */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return -1;
    /* the parent may have died before the prctl: then this process was reparented already */
    return getppid() == (pid_t)expected ? 0 : -1;
}
