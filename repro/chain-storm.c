// SPDX-License-Identifier: MIT
/*
 * chain-storm: io-wq hangs a chain of splices when worker creation meets signals.
 *
 * What: a chain of N (16) io_uring splices, pipe k -> pipe k+1 (the last to /dev/null), goes
 * to the kernel in ONE io_uring_submit with IOSQE_ASYNC while another thread sends SIGUSR1 to
 * the submitting thread every 100 us. One byte written into pipe 0 must pass through all N
 * splices. Without signals every chain completes; with them a large share never does.
 *
 * Why: the chain is submitted last-first, so the splice that gets the byte first is the last a
 * worker takes: it completes only if all N splices sit in N io-wq workers at once. io-wq
 * creates those workers from the submitting task (create_io_thread -> copy_process), which
 * fails with -ERESTARTNOINTR while a signal is pending. The failed creation is retried from
 * task_work on the submitter (io_should_retry_thread), which often runs while the next signal
 * is pending (on the way to handle it) and fails the same way; since 6.11 a worker gives up
 * after WORKER_INIT_LIMIT (3) retries. The work stays queued while any worker exists, but
 * those workers are all blocked in their splices, waiting for a byte that only the queued
 * splices would move, and nothing creates another worker: the chain hangs.
 *
 * Build: cc -O2 -Wall -Wextra -o chain-storm repro/chain-storm.c -luring -lpthread -lm
 * Run:   ./chain-storm              (200 trials, depth 16, 10000 signals/s, 300 ms deadline)
 *        ./chain-storm -r 0         (control: no signals, expect 0 hung)
 *        ./chain-storm -n 50 -d 8 -q
 * Exit:  0 with the counts printed (the count is the result), 2 if io_uring cannot be used.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH	63		/* the 64-entry SQ also holds the cancel */
#define CANCEL_TAG	0xcafeULL
#define REAP_MS		500		/* per cancel round, two rounds */

enum hang_kind { HK_NONE, HK_NO_WORKER, HK_BLOCKED, HK_UNKNOWN };
static const char *const hang_name[] = { "-", "no-worker", "workers-blocked", "unknown" };

struct trial {
	int depth, restart, deadline_ms;
	long rate;
	pthread_t self;
	struct timespec t0;
	atomic_int stop;
	long sent;
	/* results, written by the submitter */
	int done, failed, ok, bad, workers, idle, exit_hang, short_submit;
	enum hang_kind kind;
	char wchan[64];		/* where a non-idle worker slept */
	long handled;
	char err[128];
	atomic_int finished;
};

static atomic_long handled;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec ns_ts(long long ns)
{
	return (struct timespec){ .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };
}

static int read_task_file(int tid, const char *name, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * Counts this task's io-wq workers ("iou-wrk-<tid>") and where they sleep. A worker with no
 * work waits in io_wq_worker; one in a splice waits in the pipe code. wchan "0" = running.
 */
static void census(struct trial *t, int tid)
{
	char want[32], buf[128];
	int asleep_elsewhere = 0;
	struct dirent *de;
	DIR *d;

	t->workers = t->idle = 0;
	snprintf(want, sizeof(want), "iou-wrk-%d", tid);
	d = opendir("/proc/self/task");
	if (!d)
		return;
	while ((de = readdir(d))) {
		int wtid = atoi(de->d_name);

		if (wtid <= 0 || read_task_file(wtid, "comm", buf, sizeof(buf)) || strcmp(buf, want))
			continue;
		t->workers++;
		if (read_task_file(wtid, "wchan", buf, sizeof(buf)) || !buf[0] || !strcmp(buf, "0"))
			continue;
		if (!strcmp(buf, "io_wq_worker"))
			t->idle++;
		else if (asleep_elsewhere++ == 0)
			snprintf(t->wchan, sizeof(t->wchan), "%.63s", buf);
	}
	closedir(d);
	if (t->done == t->depth)
		t->kind = HK_NONE;
	else if (!t->workers)
		t->kind = HK_NO_WORKER;
	else if (asleep_elsewhere == t->workers)
		t->kind = HK_BLOCKED;
	else
		t->kind = HK_UNKNOWN;
}

static void *sender(void *arg)
{
	struct trial *t = arg;
	long long period = 1000000000LL / t->rate, next = now_ns();

	prctl(PR_SET_TIMERSLACK, 1UL);
	while (!atomic_load(&t->stop)) {
		struct timespec ts;

		if (!pthread_kill(t->self, SIGUSR1))
			t->sent++;
		next += period;
		if (next < now_ns() - period)
			next = now_ns();	/* fell behind: skip ticks, no burst */
		ts = ns_ts(next);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	return NULL;
}

/* Reaps CQEs until the deadline or until `want` chain CQEs are in; EINTR/ETIME just loop. */
static void reap(struct io_uring *ring, struct trial *t, int want, long long deadline,
		 int *cancel_seen)
{
	struct io_uring_cqe *cqe;

	while (t->done < want) {
		long long left = deadline - now_ns();
		struct __kernel_timespec ts;
		int ret;

		if (left <= 0)
			break;
		ts.tv_sec = left / 1000000000LL;
		ts.tv_nsec = left % 1000000000LL;
		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
		if (ret == -EINTR || ret == -ETIME)
			continue;
		if (ret < 0)
			break;
		while (!io_uring_peek_cqe(ring, &cqe)) {
			if (cqe->user_data == CANCEL_TAG) {
				(*cancel_seen)++;
			} else {
				t->done++;
				if (cqe->res < 0)
					t->failed++;
			}
			io_uring_cqe_seen(ring, cqe);
		}
	}
}

static int cancel_all(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
	io_uring_sqe_set_data64(sqe, CANCEL_TAG);
	return io_uring_submit(ring);
}

/*
 * One trial, on a fresh thread: io-wq belongs to the task that submits, so a fresh thread gets
 * a fresh io-wq with no workers yet (and a fresh WORKER_INIT_LIMIT count), as a program's
 * first submission does. A reused thread would keep its idle workers and never create any.
 */
static void *submitter(void *arg)
{
	struct trial *t = arg;
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 4096 };
	unsigned int limits[2] = { 8, t->depth > 8 ? t->depth : 8 };	/* bound, unbound */
	int tid = gettid(), n = t->depth, pipes[MAX_DEPTH][2], devnull, k, ret, cancels = 0;
	struct sigaction sa = { .sa_handler = on_usr1 };
	pthread_t snd;
	struct io_uring ring;
	long before;
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	ret = io_uring_queue_init_params(64, &ring, &p);
	if (ret < 0) {
		snprintf(t->err, sizeof(t->err), "io_uring_queue_init: %s", strerror(-ret));
		goto out;
	}
	ret = io_uring_register_iowq_max_workers(&ring, limits);
	if (ret < 0) {
		snprintf(t->err, sizeof(t->err), "register_iowq_max_workers: %s", strerror(-ret));
		goto out;
	}
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	for (k = 0; k < n; k++) {
		if (devnull < 0 || pipe2(pipes[k], O_CLOEXEC)) {
			snprintf(t->err, sizeof(t->err), "pipe2/open: %s", strerror(errno));
			goto out;
		}
	}

	/*
	 * Last-first: request N-1 goes in first and request 0, which gets the byte, goes in last.
	 * Workers take work in queue order: the first N-1 take requests N-1..1 and block on their
	 * empty pipes, and only an N-th worker takes request 0 and starts the byte moving. The
	 * chain needs N workers at once, not one after another.
	 */
	for (k = n - 1; k >= 0; k--) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_splice(sqe, pipes[k][0], -1, k + 1 < n ? pipes[k + 1][1] : devnull,
				     -1, 1, 0);
		sqe->flags |= IOSQE_ASYNC;
		io_uring_sqe_set_data64(sqe, k);
	}

	/*
	 * The handler must be installed and SIGUSR1 unblocked here. A blocked signal (or one whose
	 * action is to ignore it) never makes the task signal-pending, so copy_process would never
	 * fail; a handled one does until it is delivered. The sender, created before the unblock,
	 * inherits the blocked mask, as every other thread does from main.
	 */
	sa.sa_flags = t->restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	t->self = pthread_self();
	before = atomic_load(&handled);
	if (t->rate > 0 && (ret = pthread_create(&snd, NULL, sender, t))) {
		snprintf(t->err, sizeof(t->err), "pthread_create: %s", strerror(ret));
		goto out;
	}
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	/* Let the storm start first (up to 10 ms): the submission must meet it, not outrun it. */
	for (k = 0; t->rate > 0 && k < 200 && atomic_load(&handled) == before; k++)
		nanosleep(&(struct timespec){ .tv_nsec = 50000 }, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t->t0);

	/* ONE io_uring_submit: every worker creation happens inside it, under the signals. */
	ret = io_uring_submit(&ring);
	for (k = 0; k < 10 && ret >= 0 && ret < n; k++) {	/* not expected; keep it whole */
		int more = io_uring_submit(&ring);

		ret += more > 0 ? more : 0;
	}
	if (ret != n)
		t->short_submit = 1;
	while (write(pipes[0][1], "x", 1) < 0 && errno == EINTR)
		;

	reap(&ring, t, n, t->t0.tv_sec * 1000000000LL + t->t0.tv_nsec + t->deadline_ms * 1000000LL,
	     &cancels);
	census(t, tid);
	t->ok = t->done - t->failed;	/* as of the deadline, before teardown */
	t->bad = t->failed;

	atomic_store(&t->stop, 1);
	if (t->rate > 0)
		pthread_join(snd, NULL);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	t->handled = atomic_load(&handled) - before;

	/* Teardown: cancel everything, twice if need be, each round with its own deadline. */
	for (k = 0; k < 2 && t->done < n; k++) {
		if (cancel_all(&ring) < 0)
			break;
		reap(&ring, t, n, now_ns() + REAP_MS * 1000000LL, &cancels);
	}
	if (t->done < n) {
		t->exit_hang = 1;	/* leak the ring and pipes rather than wait forever */
	} else {
		io_uring_queue_exit(&ring);
		for (k = 0; k < n; k++) {
			close(pipes[k][0]);
			close(pipes[k][1]);
		}
		close(devnull);
	}
out:
	atomic_store(&t->finished, 1);
	return NULL;
}

static void wilson(int h, int n, double *lo, double *hi)
{
	const double z = 1.959964, z2 = z * z;
	double ph = n ? (double)h / n : 0, den = 1 + z2 / n;
	double c = (ph + z2 / (2.0 * n)) / den;
	double w = z * sqrt(ph * (1 - ph) / n + z2 / (4.0 * n * n)) / den;

	*lo = n ? 100 * (c - w) : 0;
	*hi = n ? 100 * (c + w) : 0;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-n trials] [-d depth 1..%d] [-r signals/s, 0 = none] "
		"[-t deadline ms] [-q]\n", argv0, MAX_DEPTH);
	exit(2);
}

int main(int argc, char **argv)
{
	int trials = 200, depth = 16, deadline_ms = 300, quiet = 0, opt, i, half;
	int hung[2] = { 0 }, runs[2] = { 0 }, kinds[4] = { 0 }, exit_hangs = 0;
	long rate = 10000, sent = 0, total_handled = 0, hung_workers = 0;
	char label[64];
	struct utsname u;
	struct io_uring probe;
	sigset_t usr1;
	double lo, hi;
	int ret;

	while ((opt = getopt(argc, argv, "n:d:r:t:q")) != -1) {
		switch (opt) {
		case 'n': trials = atoi(optarg); break;
		case 'd': depth = atoi(optarg); break;
		case 'r': rate = atol(optarg); break;
		case 't': deadline_ms = atoi(optarg); break;
		case 'q': quiet = 1; break;
		default: usage(argv[0]);
		}
	}
	if (trials < 1 || depth < 1 || depth > MAX_DEPTH || rate < 0 || rate > 1000000 ||
	    deadline_ms < 1)
		usage(argv[0]);

	/* Only the submitter of the moment ever unblocks SIGUSR1; every other thread inherits this. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);

	ret = io_uring_queue_init(8, &probe, 0);
	if (ret < 0) {
		fprintf(stderr, "io_uring unavailable: %s (%s)%s\n", strerror(-ret),
			ret == -ENOSYS ? "ENOSYS" : ret == -EPERM ? "EPERM" : "setup failed",
			ret == -EPERM ? "; see sysctl kernel.io_uring_disabled or seccomp" : "");
		return 2;
	}
	io_uring_queue_exit(&probe);
	uname(&u);
	if (rate)
		snprintf(label, sizeof(label), "chain:%d periodic:%ld", depth, rate);
	else
		snprintf(label, sizeof(label), "chain:%d no signals", depth);

	for (i = 0; i < trials; i++) {
		struct trial *t = calloc(1, sizeof(*t));
		struct timespec until;
		int leak = 0;
		pthread_t th;

		t->depth = depth;
		t->rate = rate;
		t->deadline_ms = deadline_ms;
		t->restart = !(i & 1);		/* SA_RESTART on even trials */
		if (pthread_create(&th, NULL, submitter, t)) {
			perror("pthread_create");
			return 2;
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until = ns_ts(until.tv_sec * 1000000000LL + until.tv_nsec +
			      (deadline_ms + 2 * REAP_MS + 2000) * 1000000LL);
		if (pthread_timedjoin_np(th, NULL, &until)) {
			/* stuck exiting (or worse): report it, leak the thread and its trial */
			pthread_detach(th);
			exit_hangs++;
			leak = 1;
			if (!atomic_load(&t->finished)) {
				fprintf(stderr, "trial %d: submitter stuck before teardown ended\n", i);
				continue;
			}
		} else if (t->exit_hang) {
			exit_hangs++;
			leak = 1;
		}
		if (t->short_submit)
			fprintf(stderr, "trial %d: io_uring_submit took fewer than %d\n", i, depth);
		if (t->err[0]) {
			fprintf(stderr, "trial %d: setup failed: %s\n", i, t->err);
			return 2;
		}
		half = !t->restart;
		runs[half]++;
		sent += t->sent;
		total_handled += t->handled;
		if (t->kind != HK_NONE) {
			hung[half]++;
			kinds[t->kind]++;
			hung_workers += t->workers;
		}
		if (!quiet) {
			char where[96] = "";

			if (t->kind != HK_NONE)
				snprintf(where, sizeof(where), ", %s%s%s", hang_name[t->kind],
					 t->wchan[0] ? " in " : "", t->wchan);
			printf("trial %3d %-13s %s: %2d/%d ok (%d failed), iou-wrk %2d (idle %d)%s, "
			       "signals sent %ld handled %ld%s\n", i,
			       t->restart ? "SA_RESTART" : "no SA_RESTART",
			       t->kind != HK_NONE ? "HUNG" : "ok  ", t->ok, depth, t->bad, t->workers,
			       t->idle, where, t->sent, t->handled, t->exit_hang ? ", EXIT HANG" : "");
		}
		if (!leak)
			free(t);
	}

	for (half = 0; half < 2; half++) {
		wilson(hung[half], runs[half], &lo, &hi);
		printf("%s %s: hung %d/%d (%.1f%%, Wilson 95%% [%.1f, %.1f])\n", label,
		       half ? "no SA_RESTART" : "SA_RESTART", hung[half], runs[half],
		       runs[half] ? 100.0 * hung[half] / runs[half] : 0.0, lo, hi);
	}
	wilson(hung[0] + hung[1], runs[0] + runs[1], &lo, &hi);
	printf("%s on Linux %s: hung %d/%d (%.1f%%, Wilson 95%% [%.1f, %.1f]); SA_RESTART %d/%d, "
	       "no SA_RESTART %d/%d; hung trials: workers-blocked %d, no-worker %d, unknown %d "
	       "(iou-wrk at deadline %.1f avg); exit hangs %d; signals sent %ld, handled %ld\n",
	       label, u.release, hung[0] + hung[1], runs[0] + runs[1],
	       runs[0] + runs[1] ? 100.0 * (hung[0] + hung[1]) / (runs[0] + runs[1]) : 0.0, lo, hi,
	       hung[0], runs[0], hung[1], runs[1], kinds[HK_BLOCKED], kinds[HK_NO_WORKER],
	       kinds[HK_UNKNOWN], hung[0] + hung[1] ? (double)hung_workers / (hung[0] + hung[1]) : 0.0,
	       exit_hangs, sent, total_handled);
	fflush(stdout);
	return 0;
}
