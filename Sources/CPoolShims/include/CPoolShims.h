#ifndef CPOOLSHIMS_H
#define CPOOLSHIMS_H

/* The pool's C glue (IOWQ): what Swift cannot say directly about futexes, signal masks and
 * pthread attributes. The harness's process control lives in CProcessControl. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>

/// A one-word parker on a Linux futex: park sleeps until unpark (or a deadline), unpark wakes at most
/// one parked thread and makes a syscall only when somebody is actually parked.
/// The word must live at a stable address and start at 0.
///
/// States: 0 empty, 1 notified, UINT32_MAX parked.

/// Parks the calling thread until the word is notified or `deadline_ns` (CLOCK_MONOTONIC, absolute;
/// 0 means no deadline) passes. Returns true when it consumed a notification.
bool iowq_park(uint32_t *word, uint64_t deadline_ns);

/// Notifies the word, waking its parked thread if there is one. Returns true when a thread was
/// parked on it (the analogue of wake_up_process() returning true).
bool iowq_unpark(uint32_t *word);

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t iowq_now_ns(void);

/// The kernel thread id of the calling thread (for /proc and diagnostics).
int iowq_gettid(void);

/// Unblocks `signo` in the calling thread, so it is delivered to its handler rather than left
/// pending (pthread_sigmask; returns 0 or an errno).
int iowq_unblock_signal(int signo);

/// Blocks every signal in the calling thread.
int iowq_block_all_signals(void);

/// Is `signo` pending for the calling thread (sigpending)?
bool iowq_signal_is_pending(int signo);

/// Consumes one pending `signo` of the calling thread without waiting (sigtimedwait, zero timeout).
/// Returns true when one was consumed.
bool iowq_consume_signal(int signo);

/// Installs the injected signals' one handler for `signo` (with or without SA_RESTART): it counts
/// each delivery per process, per process inside a blocking kernel call (`iowq_syscall_enter`), and
/// per receiving thread and signal. Returns 0 or an errno.
int iowq_install_counting_handler(int signo, bool restart);

/// Deliveries to the counting handler in this process so far.
long iowq_handled_signals(void);

/// Of those, the ones that landed while their thread was inside a blocking kernel call.
long iowq_handled_signals_in_syscall(void);

/// Deliveries of `signo` to the calling thread since it last asked; resets them.
long iowq_take_thread_handled(int signo);

/// Blocks (or unblocks) both signals in the calling thread with one pthread_sigmask. Returns 0 or an errno.
int iowq_set_injected_blocked(int first, int second, bool blocked);

/// Makes the calling thread's timed sleeps end on time: timer slack 1 ns instead of the default
/// 50 µs (prctl PR_SET_TIMERSLACK). For the signal senders, whose schedule is their timing.
void iowq_precise_timers(void);

/// pthread_create with a detached thread, the given stack size (0: default) and entry point.
int iowq_thread_create(pthread_t *thread, size_t stack_size, void *(*entry)(void *), void *argument);

/// Pins the calling thread to the CPU it runs on now and makes it SCHED_BATCH (no wake-up
/// preemption: a woken thread waits until the waker blocks or its slice ends). Threads it creates
/// later inherit both. Returns that CPU, or -1 when either could not be set.
int iowq_pin_to_current_cpu_batch(void);

/// The CPU the calling thread runs on now (sched_getcpu), or -1.
int iowq_current_cpu(void);

/// Restricts the calling thread to the CPUs it may use except `cpu`. Returns 0, or -1 when it
/// stays where it was (one CPU allowed, `cpu` not among them, or the call failed).
int iowq_pin_away_from_cpu(int cpu);

/// Whether the calling thread may run on `cpu` (its affinity).
bool iowq_cpu_allowed(int cpu);

/// How many CPUs the calling thread may run on.
int iowq_allowed_cpu_count(void);

/// Joins `thread`, giving up after `timeout_ns`: a thread stuck in the kernel (a submitting thread
/// in io_uring's exit path) must not keep the harness waiting. Returns 0 or an errno (ETIMEDOUT).
int iowq_timed_join(pthread_t thread, uint64_t timeout_ns);

/// Marks the calling thread as inside (or out of) a blocking kernel call, so that a signal handler
/// running on it can tell where the signal landed: the live kernel's submitter around io_uring_enter.
void iowq_syscall_enter(void);
void iowq_syscall_leave(void);
/// 1 while the calling thread is between enter and leave. Async-signal-safe.
int iowq_in_syscall(void);

#endif
