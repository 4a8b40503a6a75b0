#define _GNU_SOURCE
#include "CThreadInterposer.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the shm layout is documented as little-endian"
#endif

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

enum plan_kind { PLAN_NONE, PLAN_FAIL_AFTER, PLAN_FAIL_NTH, PLAN_EAGAIN };

static struct {
	create_fn real;
	enum plan_kind kind;
	uint64_t n;          /* fail-after / fail-nth */
	uint64_t threshold;  /* eagain: fail when draw < threshold */
	bool always;         /* eagain:1 (threshold cannot say 2^64) */
	uint64_t seed;
	int error;
	_Atomic uint64_t *shm;  /* [0] attempts, [1] failures, [2] armed by the harness, or NULL */
	bool armed_by_page;     /* IOWQ_THREAD_FAULTS_ARMED=page: shm[2] says, not iowq_interposer_arm */
} plan;

static pthread_once_t plan_once = PTHREAD_ONCE_INIT;
static atomic_int armed = 1;
static _Atomic uint64_t attempts, failures;

/* One line to stderr in one write(2): no stdio, so no allocation and no lock. */
static void complain(const char *what, const char *text, const char *why)
{
	struct iovec v[] = {
		{ (void *)"iowq-interposer: bad ", 21 },
		{ (void *)what, strlen(what) },
		{ (void *)" '", 2 },
		{ (void *)text, strnlen(text, 256) },
		{ (void *)"'", 1 },
		{ (void *)why, strlen(why) },
		{ (void *)"\n", 1 },
	};
	ssize_t ignored = writev(STDERR_FILENO, v, sizeof v / sizeof v[0]);
	(void)ignored;
	plan.error = 1;
}

/* An unsigned decimal with nothing after it. */
static bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

/* A probability in [0, 1]: digits, an optional fraction ("0.5", ".25", "1", "1.0"). Hand-parsed:
 * strtod follows the locale. */
static bool parse_probability(const char *s, double *out)
{
	double v = 0, scale = 1;
	bool digits = false;
	for (; *s >= '0' && *s <= '9'; s++, digits = true)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
			v += (*s - '0') * (scale /= 10);
	if (*s || !digits || v > 1)
		return false;
	*out = v;
	return true;
}

static bool parse_plan(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t head = colon ? (size_t)(colon - s) : strlen(s);
	double p;

	if (!strcmp(s, "none"))
		return plan.kind = PLAN_NONE, true;
	if (!colon)
		return false;
	if (head == 10 && !strncmp(s, "fail-after", head) && parse_u64(colon + 1, &plan.n))
		return plan.kind = PLAN_FAIL_AFTER, true;
	if (head == 8 && !strncmp(s, "fail-nth", head) && parse_u64(colon + 1, &plan.n) && plan.n)
		return plan.kind = PLAN_FAIL_NTH, true;
	if (head == 6 && !strncmp(s, "eagain", head) && parse_probability(colon + 1, &p)) {
		plan.kind = PLAN_EAGAIN;
		plan.always = p >= 1;
		/* 2^64 * p, below 2^64 since p < 1 here */
		plan.threshold = plan.always ? 0 : (uint64_t)(p * 18446744073709551616.0);
		return true;
	}
	return false;
}

static void map_counters(const char *path)
{
	struct stat st;
	void *page;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		complain("IOWQ_THREAD_FAULTS_SHM", path, ": cannot open");
		return;
	}
	if (fstat(fd, &st) || (st.st_size < 24 && ftruncate(fd, 24))) {
		complain("IOWQ_THREAD_FAULTS_SHM", path, ": cannot size to 24 bytes");
		close(fd);
		return;
	}
	page = mmap(NULL, 24, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);  /* the mapping keeps the file */
	if (page == MAP_FAILED) {
		complain("IOWQ_THREAD_FAULTS_SHM", path, ": cannot map");
		return;
	}
	plan.shm = page;
}

static void plan_init(void)
{
	const char *faults = getenv("IOWQ_THREAD_FAULTS");
	const char *seed = getenv("IOWQ_THREAD_FAULTS_SEED");
	const char *arm = getenv("IOWQ_THREAD_FAULTS_ARMED");
	const char *shm = getenv("IOWQ_THREAD_FAULTS_SHM");

	plan.real = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
	plan.seed = 1;
	if (faults && !parse_plan(faults)) {
		complain("IOWQ_THREAD_FAULTS", faults, "");
		plan.kind = PLAN_NONE;
	}
	if (seed && !parse_u64(seed, &plan.seed))
		complain("IOWQ_THREAD_FAULTS_SEED", seed, "");
	if (arm && strcmp(arm, "0") && strcmp(arm, "1") && strcmp(arm, "page"))
		complain("IOWQ_THREAD_FAULTS_ARMED", arm, "");
	else if (arm && !strcmp(arm, "0"))
		atomic_store(&armed, 0);
	if (shm && *shm)
		map_counters(shm);
	if (arm && !strcmp(arm, "page")) {
		if (!plan.shm)
			complain("IOWQ_THREAD_FAULTS_ARMED", arm, ": needs IOWQ_THREAD_FAULTS_SHM");
		plan.armed_by_page = true;
	}
	if (plan.error)
		plan.kind = PLAN_NONE;
}

/* Read the environment at load, before main can change it; pthread_create before this (another
 * library's constructor) initialises through the same once. */
__attribute__((constructor)) static void interposer_load(void)
{
	pthread_once(&plan_once, plan_init);
}

static uint64_t mix64(uint64_t z)  /* splitmix64's finaliser */
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The draw for attempt i depends on (seed, i) only, never on which thread got which i, so a seed
 * names one set of failing attempts. */
static bool plan_fails(uint64_t i)
{
	switch (plan.kind) {
	case PLAN_FAIL_AFTER:
		return i > plan.n;
	case PLAN_FAIL_NTH:
		return i == plan.n;
	case PLAN_EAGAIN:
		return plan.always || mix64(mix64(plan.seed) + i * 0x9e3779b97f4a7c15ull) < plan.threshold;
	default:
		return false;
	}
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	uint64_t i;

	pthread_once(&plan_once, plan_init);
	if (!plan.real)
		return EAGAIN;  /* no libc pthread_create behind us: nothing we could create */
	if (plan.armed_by_page ? !plan.shm || !atomic_load_explicit(&plan.shm[2], memory_order_acquire)
	                       : !atomic_load_explicit(&armed, memory_order_relaxed))
		return plan.real(thread, attr, start, arg);

	/* Count before deciding or creating, so a process killed inside the real call has still
	 * recorded the attempt. */
	i = atomic_fetch_add(&attempts, 1) + 1;
	if (plan.shm)
		atomic_fetch_add_explicit(&plan.shm[0], 1, memory_order_relaxed);
	if (plan_fails(i)) {
		atomic_fetch_add(&failures, 1);
		if (plan.shm)
			atomic_fetch_add_explicit(&plan.shm[1], 1, memory_order_relaxed);
		return EAGAIN;
	}
	return plan.real(thread, attr, start, arg);
}

void iowq_interposer_arm(int on)
{
	atomic_store(&armed, on != 0);
}

uint64_t iowq_interposer_attempts(void)
{
	return atomic_load(&attempts);
}

uint64_t iowq_interposer_failures(void)
{
	return atomic_load(&failures);
}

int iowq_interposer_plan_error(void)
{
	pthread_once(&plan_once, plan_init);
	return plan.error;
}
