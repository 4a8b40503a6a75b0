#define _GNU_SOURCE
#include "CLineageProbe.h"

#include <liburing.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

/* Threads of this process now, from /proc/self/task (-1: unreadable). */
static int lp_thread_count(void) {
    DIR *tasks = opendir("/proc/self/task");
    if (tasks == NULL) return -1;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] != '.') count++;
    }
    closedir(tasks);
    return count;
}

struct lp_activation_arguments {
    int requests;
    struct lp_activation result;
};

static void *lp_activation_thread(void *raw) {
    struct lp_activation_arguments *arguments = raw;
    struct lp_activation *out = &arguments->result;
    int requests = arguments->requests;
    memset(out, 0, sizeof(*out));
    out->requests = requests;
    out->created_in_enter = -1;

    /* One CPU, SCHED_FIFO, and io-wq's workers bound to the same CPU: a new worker (SCHED_OTHER)
     * cannot run, take its request and block before this thread sleeps, so nothing the sleep path
     * would create (io_wq_dec_running -> create_worker_cb) is mixed into the count. */
    int cpu = sched_getcpu();
    cpu_set_t set;
    CPU_ZERO(&set);
    if (cpu >= 0) CPU_SET(cpu, &set);
    struct sched_param priority = {.sched_priority = 1};
    int held = cpu >= 0 && pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0
        && pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority) == 0;

    struct io_uring ring;
    int rc = io_uring_queue_init(8, &ring, 0);
    if (rc < 0) { out->setup_errno = -rc; return NULL; }
    held = held && io_uring_register_iowq_aff(&ring, sizeof(set), &set) == 0;
    out->held = held;

    int pipes[LP_ACTIVATION_MAX_REQUESTS][2];
    int opened = 0, devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0) { out->setup_errno = errno; goto done; }
    for (; opened < requests; opened++) {
        if (pipe2(pipes[opened], O_CLOEXEC) != 0) { out->setup_errno = errno; goto done; }
    }
    /* Splices from empty pipes: each blocks in its worker until its byte is written below. */
    for (int index = 0; index < requests; index++) {
        struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        io_uring_prep_splice(sqe, pipes[index][0], -1, devnull, -1, 1, 0);
        sqe->flags |= IOSQE_ASYNC;
        sqe->user_data = (unsigned long long)index + 1;
    }
    int before = lp_thread_count();
    rc = io_uring_submit(&ring);  /* one io_uring_enter: every punt, and the creations it makes */
    int after = lp_thread_count();
    if (rc != requests) { out->setup_errno = rc < 0 ? -rc : EIO; }
    else if (before >= 0 && after >= 0) { out->created_in_enter = after - before; }

    /* Let them run and complete, so the ring exits clean. */
    for (int index = 0; index < opened; index++) {
        char byte = 1;
        (void)!write(pipes[index][1], &byte, 1);
    }
    for (int reaped = 0; rc == requests && reaped < requests; ) {
        struct io_uring_cqe *cqe;
        struct __kernel_timespec wait = {1, 0};
        int got = io_uring_wait_cqe_timeout(&ring, &cqe, &wait);
        if (got == -EINTR) continue;
        if (got < 0) break;
        if (cqe->res >= 0) out->completed++;
        io_uring_cqe_seen(&ring, cqe);
        reaped++;
    }
done:
    for (int index = 0; index < opened; index++) { close(pipes[index][0]); close(pipes[index][1]); }
    if (devnull >= 0) close(devnull);
    io_uring_queue_exit(&ring);
    return NULL;
}

struct lp_activation lp_run_activation(int requests) {
    if (requests < 1) requests = 1;
    if (requests > LP_ACTIVATION_MAX_REQUESTS) requests = LP_ACTIVATION_MAX_REQUESTS;
    struct lp_activation_arguments arguments = {requests, {0}};
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, lp_activation_thread, &arguments);
    if (rc != 0) {
        arguments.result.created_in_enter = -1;
        arguments.result.setup_errno = rc;
        return arguments.result;
    }
    pthread_join(thread, NULL);
    return arguments.result;
}
