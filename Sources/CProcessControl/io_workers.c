#include "CProcessControl.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the first line of /proc/self/task/<tid>/<file> into `out`; 0 on success. */
static int read_task_file(const char *tid, const char *file, char *out, size_t size) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/task/%s/%s", tid, file);
    FILE *stream = fopen(path, "re");
    if (stream == NULL) return -1; /* the thread exited meanwhile */
    out[0] = '\0';
    char *line = fgets(out, (int)size, stream);
    fclose(stream);
    if (line == NULL) return -1;
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

/* Calls `visit` for each thread of this process named "iou-wrk-<task_tid>"; returns their count. */
static int each_io_worker(int task_tid, void (*visit)(const char *tid, void *context), void *context) {
    char wanted[32];
    snprintf(wanted, sizeof(wanted), "iou-wrk-%d", task_tid);
    wanted[15] = '\0'; /* comm holds at most 15 characters */
    DIR *dir = opendir("/proc/self/task");
    if (dir == NULL) return -1;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        char comm[32];
        if (read_task_file(entry->d_name, "comm", comm, sizeof(comm)) != 0) continue;
        if (strcmp(comm, wanted) != 0) continue;
        visit(entry->d_name, context);
        count++;
    }
    closedir(dir);
    return count;
}

struct tid_list { int *tids; int capacity; int count; };

static void add_tid(const char *tid, void *context) {
    struct tid_list *list = context;
    if (list->count < list->capacity) list->tids[list->count] = atoi(tid);
    list->count++;
}

int proc_list_io_workers(int task_tid, int *tids, int capacity) {
    struct tid_list list = { tids, capacity, 0 };
    return each_io_worker(task_tid, add_tid, &list);
}

struct wait_counts { int idle; int blocked; int unknown; };

static void count_wait(const char *tid, void *context) {
    struct wait_counts *counts = context;
    char wchan[128];
    /* wchan is "0" for a running thread, or when the kernel hides it */
    if (read_task_file(tid, "wchan", wchan, sizeof(wchan)) != 0 || wchan[0] == '\0' || strcmp(wchan, "0") == 0) {
        counts->unknown++;
    } else if (strcmp(wchan, "io_wq_worker") == 0) {
        counts->idle++; /* schedule_timeout in io_wq_worker's loop: waiting for work */
    } else {
        counts->blocked++;
    }
}

int proc_io_worker_waits(int task_tid, int *idle, int *blocked, int *unknown) {
    struct wait_counts counts = { 0, 0, 0 };
    int total = each_io_worker(task_tid, count_wait, &counts);
    *idle = counts.idle;
    *blocked = counts.blocked;
    *unknown = counts.unknown;
    return total;
}
