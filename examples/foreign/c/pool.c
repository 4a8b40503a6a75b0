/* A small on-demand C thread pool under bench's foreign-pool contract (docs/foreign.md).
 *
 * The pool: submit() queues the item and, when no worker is idle, creates one (up to MAX_WORKERS).
 * When pthread_create fails and the pool has no worker at all, submit() refuses the item (the
 * caller is told); with workers alive, the item waits in the queue for one of them.
 *
 * Build: cc -O2 -pthread -o pool pool.c    Run: bench run --foreign c-pool=examples/foreign/c/pool */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER;
static int queue[4096], head, tail, workers, idle;
static FILE *events;
static long block_us;
static int chain, running;  /* chain:N: an item waits until N run at once */

static void say(const char *fmt, int id)
{
	pthread_mutex_lock(&lock);  /* one line at a time */
	fprintf(events, fmt, id);
	fputc('\n', events);
	fflush(events);
	pthread_mutex_unlock(&lock);
}

static void run_item(int id)
{
	say("start %d", id);
	if (chain > 0) {
		pthread_mutex_lock(&lock);
		running++;
		pthread_cond_broadcast(&work);
		while (running < chain)
			pthread_cond_wait(&work, &lock);
		pthread_mutex_unlock(&lock);
	} else {
		usleep((useconds_t)block_us);
	}
	say("end %d", id);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		while (head == tail) {
			idle++;
			pthread_cond_wait(&work, &lock);
			idle--;
		}
		int id = queue[head++ % 4096];
		pthread_mutex_unlock(&lock);
		run_item(id);
		pthread_mutex_lock(&lock);
	}
	return NULL;
}

/* 0, or the errno of the creation that failed with no worker to take the item */
static int submit(int id)
{
	pthread_mutex_lock(&lock);
	queue[tail++ % 4096] = id;
	int need = idle == 0 && workers < MAX_WORKERS;
	pthread_cond_signal(&work);
	pthread_mutex_unlock(&lock);
	if (!need)
		return 0;
	pthread_t thread;
	int rc = pthread_create(&thread, NULL, worker, NULL);
	pthread_mutex_lock(&lock);
	if (rc == 0) {
		workers++;
		pthread_detach(thread);
	} else if (workers == 0) {
		tail--;  /* nobody will ever take it: give it back to the caller */
		pthread_mutex_unlock(&lock);
		return rc;
	}
	pthread_mutex_unlock(&lock);
	return 0;
}

int main(void)
{
	int items = atoi(getenv("IOWQ_ITEMS") ? getenv("IOWQ_ITEMS") : "1");
	block_us = atol(getenv("IOWQ_BLOCK_US") ? getenv("IOWQ_BLOCK_US") : "200");
	chain = atoi(getenv("IOWQ_CHAIN") ? getenv("IOWQ_CHAIN") : "0");
	events = fdopen(atoi(getenv("IOWQ_EVENTS_FD") ? getenv("IOWQ_EVENTS_FD") : "3"), "w");
	if (!events)
		return 2;
	char line[16];
	say("ready", 0);
	if (!fgets(line, sizeof line, stdin) || strcmp(line, "go\n"))
		return 0;
	for (int id = 0; id < items; id++) {
		int rc = submit(id);
		if (rc) {
			pthread_mutex_lock(&lock);
			fprintf(events, "submit %d refused %s\n", id, strerror(rc));
			fflush(events);
			pthread_mutex_unlock(&lock);
		} else {
			say("submit %d ok", id);
		}
	}
	/* the harness closes stdin when the trial is over */
	while (fgets(line, sizeof line, stdin))
		;
	return 0;
}
