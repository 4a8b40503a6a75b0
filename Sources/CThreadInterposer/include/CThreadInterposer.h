#ifndef CTHREADINTERPOSER_H
#define CTHREADINTERPOSER_H

/* A pthread_create interposer (libIOWQThreadInterposer.so, for LD_PRELOAD): makes thread creation
 * fail with EAGAIN by a plan read once from the environment, the first time the library is
 * initialised (its constructor, or the first pthread_create, whichever comes first).
 *
 *   IOWQ_THREAD_FAULTS        none | fail-after:N | fail-nth:N | eagain:P     (unset: none)
 *   IOWQ_THREAD_FAULTS_SEED   seed for eagain:P, an unsigned decimal          (unset: 1)
 *   IOWQ_THREAD_FAULTS_ARMED  0 starts disarmed, 1 armed, page: armed while the shm file's
 *                             third word is nonzero (the harness arms it; no call)  (unset: 1)
 *   IOWQ_THREAD_FAULTS_SHM    path of an existing file the counters are kept in (see below)
 *
 * Only armed attempts count: the plan numbers them 1, 2, 3, ... in this process, and a disarmed
 * pthread_create goes straight to the real one, uncounted. A failed attempt creates nothing.
 *
 * A malformed variable (plan, seed, armed, or a shm file that cannot be mapped) writes one line to
 * stderr, e.g. `iowq-interposer: bad IOWQ_THREAD_FAULTS 'fail-nth:0'`, and the plan becomes none;
 * iowq_interposer_plan_error() then returns 1, so a harness can refuse to run.
 *
 * The shm file holds uint64 in native byte order (little-endian on every supported target):
 * armed attempts at offset 0 and injected failures at offset 8, incremented atomically through a
 * MAP_SHARED mapping, so they survive the process being killed, and at offset 16 the arm word that
 * IOWQ_THREAD_FAULTS_ARMED=page reads. The file is extended to 24 bytes if shorter. Failures of the real pthread_create are not counted as failures.
 *
 * The library creates no threads, does not allocate in pthread_create once initialised, and
 * everything below is async-signal-safe after initialisation. */

#include <stdint.h>

/// Arms (nonzero) or disarms (0) the plan. Async-signal-safe.
void iowq_interposer_arm(int armed);

/// Armed pthread_create attempts in this process so far.
uint64_t iowq_interposer_attempts(void);

/// Attempts the plan failed with EAGAIN in this process so far.
uint64_t iowq_interposer_failures(void);

/// 1 if a variable was malformed (the plan is then none), else 0.
int iowq_interposer_plan_error(void);

#endif
