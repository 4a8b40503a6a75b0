/* interposer-probe K [--arm-after M] [--kill]
 *
 * Creates K threads with pthread_create, one after another, and prints
 *   attempts=K failed=F failed_at=i,j,... interposed=0|1 plan_error=E counted=A/B
 * failed_at lists the 1-based attempts that failed, counted= the interposer's own getters.
 * --arm-after M: arm the interposer (iowq_interposer_arm) after M creations.
 * --kill: after printing (flushed), raise(SIGKILL) instead of joining and exiting.
 * The interposer is looked up with dlsym, so the probe runs without it too (interposed=0). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *nothing(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	long k = argc > 1 ? atol(argv[1]) : 0, arm_after = -1, failed = 0;
	int kill_at_end = 0;
	void (*arm)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "iowq_interposer_arm");
	uint64_t (*attempts)(void) = (uint64_t (*)(void))dlsym(RTLD_DEFAULT, "iowq_interposer_attempts");
	uint64_t (*failures)(void) = (uint64_t (*)(void))dlsym(RTLD_DEFAULT, "iowq_interposer_failures");
	int (*plan_error)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "iowq_interposer_plan_error");

	for (int a = 2; a < argc; a++) {
		if (!strcmp(argv[a], "--kill"))
			kill_at_end = 1;
		else if (!strcmp(argv[a], "--arm-after") && a + 1 < argc)
			arm_after = atol(argv[++a]);
		else
			return fprintf(stderr, "usage: interposer-probe K [--arm-after M] [--kill]\n"), 2;
	}
	if (k < 0)
		return 2;

	pthread_t *threads = calloc((size_t)k + 1, sizeof *threads);
	char *started = calloc((size_t)k + 1, 1);
	for (long i = 0; i < k; i++) {
		if (i == arm_after && arm)
			arm(1);
		started[i] = pthread_create(&threads[i], NULL, nothing, NULL) == 0;
		failed += !started[i];
	}
	printf("attempts=%ld failed=%ld failed_at=", k, failed);
	for (long i = 0, first = 1; i < k; i++)
		if (!started[i]) {
			printf(first ? "%ld" : ",%ld", i + 1);
			first = 0;
		}
	printf(" interposed=%d plan_error=%d counted=%llu/%llu\n", arm != NULL,
	       plan_error ? plan_error() : -1,
	       attempts ? (unsigned long long)attempts() : 0ull,
	       failures ? (unsigned long long)failures() : 0ull);
	fflush(stdout);
	if (kill_at_end)
		raise(SIGKILL);
	for (long i = 0; i < k; i++)
		if (started[i])
			pthread_join(threads[i], NULL);
	return 0;
}
