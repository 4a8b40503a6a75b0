#include "CProcessControl.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int proc_list_io_workers(int task_tid, int *tids, int capacity) {
    char wanted[32];
    snprintf(wanted, sizeof(wanted), "iou-wrk-%d", task_tid);
    wanted[15] = '\0'; /* comm holds at most 15 characters */
    DIR *dir = opendir("/proc/self/task");
    if (dir == NULL) return -1;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/task/%s/comm", entry->d_name);
        FILE *file = fopen(path, "re");
        if (file == NULL) continue; /* the thread exited meanwhile */
        char comm[32] = {0};
        if (fgets(comm, sizeof(comm), file) != NULL) {
            comm[strcspn(comm, "\n")] = '\0';
            if (strcmp(comm, wanted) == 0) {
                if (count < capacity) tids[count] = atoi(entry->d_name);
                count++;
            }
        }
        fclose(file);
    }
    closedir(dir);
    return count;
}
