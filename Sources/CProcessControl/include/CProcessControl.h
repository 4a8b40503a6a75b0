#ifndef CPROCESSCONTROL_H
#define CPROCESSCONTROL_H

/* The harness's process control (Harness and bench only): a clean stop on SIGINT/SIGTERM, child
 * processes with a piped stdout, and a look at this process's threads in /proc. The pool's own C
 * glue lives in CPoolShims. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// Makes SIGINT and SIGTERM set a flag instead of killing the process (the harness's clean stop),
/// and unblocks them in the calling thread (a blocked mask is inherited from whoever started it).
void proc_install_stop_handlers(void);

/// The signal number that asked to stop, or 0.
int proc_stop_requested(void);

/// posix_spawn `path` with `argv` (NULL-terminated) and `envp` (NULL: this process's environment);
/// the child's stdout is a pipe whose read end is returned in `stdout_fd` (close-on-exec), its
/// stderr goes to the file `stderr_path` (truncated; NULL: inherited). Returns 0 or an errno.
int proc_spawn(const char *path, char *const argv[], char *const envp[], const char *stderr_path,
               pid_t *pid, int *stdout_fd);

/// The environment variable that names a child's parent (ChildProcess sets it for this program's
/// own children).
#define PROC_PARENT_PID_VARIABLE "IOWQ_PARENT_PID"

/// A child's first act: when PROC_PARENT_PID_VARIABLE names a pid, removes it from the environment,
/// arms PR_SET_PDEATHSIG (SIGKILL when the parent dies) and checks the parent is still that pid.
/// Returns 0 to go on (also when the variable is not set), -1 when the parent is gone (exit).
int proc_die_with_parent(void);

/// Waits up to `timeout_ms` for `fd` to be readable (or closed). Returns 1 readable, 0 time-out,
/// -1 error (EINTR included, so a stop request is seen at once).
int proc_wait_readable(int fd, int timeout_ms);

/// Counts the io-wq workers of one task: threads of this process whose comm is "iou-wrk-<tid>".
/// Writes up to `capacity` of their tids to `tids` and returns how many there are (-1: /proc unreadable).
int proc_list_io_workers(int task_tid, int *tids, int capacity);

/// Where the io-wq workers of one task wait, from /proc/self/task/<tid>/wchan: `idle` counts those
/// asleep in io_wq_worker itself (no work), `blocked` those asleep anywhere else (inside a request),
/// `unknown` those whose wait could not be read or that are running. Returns the worker count
/// (-1: /proc unreadable).
int proc_io_worker_waits(int task_tid, int *idle, int *blocked, int *unknown);

/// Maps `size` bytes of the file `path` (created or extended to `size`) MAP_SHARED, so that a child
/// process and its parent see the same counters however the child ends. NULL on failure.
void *proc_map_shared(const char *path, size_t size);

/// Atomically adds `value` to the 64-bit counter at `cell` (shared memory).
void proc_shared_add(uint64_t *cell, uint64_t value);

/// Atomically reads the 64-bit counter at `cell`.
uint64_t proc_shared_load(const uint64_t *cell);

/// Arms (1) or disarms (0) libIOWQThreadInterposer.so's plan through its exported
/// `iowq_interposer_arm`, found with dlsym(RTLD_DEFAULT): this process never links it. Returns 0
/// when the library is not loaded.
int proc_interposer_arm(int armed);

/// libIOWQThreadInterposer.so as this process sees it: -1 not loaded, 1 loaded with a malformed
/// variable (its plan is then none), 0 loaded and well.
int proc_interposer_state(void);

/// The hypervisor's CPUID signature (leaf 0x40000000, e.g. "KVMKVMKVM" or qemu TCG's "TCGTCGTCGTCG")
/// into `out` (NUL-terminated). Returns 1 when the CPU says it runs under a hypervisor, 0 otherwise
/// (then `out` is empty; always 0 off x86).
int proc_hypervisor_signature(char out[13]);

/// Starts a foreign pool program (docs/foreign.md) in a process group of its own, killed when the
/// calling thread exits (PR_SET_PDEATHSIG): its fd 3 is
/// the write end of a pipe whose read end is returned in `events_fd`, its stdin the read end of a
/// pipe whose write end is returned in `control_fd` (both close-on-exec here), and its stdout and
/// stderr go to the file `output_path` (truncated). Returns 0 or an errno.
int proc_spawn_foreign(const char *path, char *const argv[], char *const envp[], const char *output_path,
                       pid_t *pid, int *events_fd, int *control_fd);
#endif
