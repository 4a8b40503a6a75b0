#define _GNU_SOURCE
#include "CProcessControl.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void *proc_map_shared(const char *path, size_t size) {
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || ((size_t)st.st_size < size && ftruncate(fd, (off_t)size) != 0)) {
        close(fd);
        return NULL;
    }
    void *page = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return page == MAP_FAILED ? NULL : page;
}

void proc_shared_add(uint64_t *cell, uint64_t value) { __atomic_fetch_add(cell, value, __ATOMIC_RELAXED); }

uint64_t proc_shared_load(const uint64_t *cell) { return __atomic_load_n(cell, __ATOMIC_RELAXED); }

int proc_interposer_state(void) {
    int (*plan_error)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "iowq_interposer_plan_error");
    if (!plan_error) return -1;
    return plan_error() ? 1 : 0;
}

int proc_interposer_arm(int armed) {
    void (*arm)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "iowq_interposer_arm");
    if (!arm) return 0;
    arm(armed);
    return 1;
}
