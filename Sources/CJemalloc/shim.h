#ifndef IOWQ_CJEMALLOC_SHIM_H
#define IOWQ_CJEMALLOC_SHIM_H

#include <jemalloc/jemalloc.h>
#include <stdbool.h>
#include <stdio.h>

/* MALLOCX_ARENA and MALLOCX_TCACHE_NONE are macros, which Swift does not import. Allocations made
 * here bypass the thread cache, so the arena's statistics count every live byte exactly. */

static inline unsigned iowq_je_arena_create(bool *ok) {
    unsigned arena = 0;
    size_t size = sizeof(arena);
    *ok = mallctl("arenas.create", &arena, &size, NULL, 0) == 0;
    return arena;
}

static inline bool iowq_je_arena_destroy(unsigned arena) {
    char name[64];
    snprintf(name, sizeof(name), "arena.%u.destroy", arena);
    return mallctl(name, NULL, NULL, NULL, 0) == 0;
}

static inline void *iowq_je_alloc(unsigned arena, size_t size) {
    return mallocx(size, MALLOCX_ARENA(arena) | MALLOCX_TCACHE_NONE | MALLOCX_ZERO);
}

static inline void iowq_je_free(void *pointer) {
    dallocx(pointer, MALLOCX_TCACHE_NONE);
}

/* Bytes live in one arena (small + large), after refreshing the statistics epoch. */
static inline long long iowq_je_arena_live_bytes(unsigned arena) {
    unsigned long long epoch = 1;
    size_t size = sizeof(epoch);
    if (mallctl("epoch", &epoch, &size, &epoch, size) != 0) return -1;
    char name[96];
    size_t small = 0, large = 0;
    size = sizeof(size_t);
    snprintf(name, sizeof(name), "stats.arenas.%u.small.allocated", arena);
    if (mallctl(name, &small, &size, NULL, 0) != 0) return -1;
    size = sizeof(size_t);
    snprintf(name, sizeof(name), "stats.arenas.%u.large.allocated", arena);
    if (mallctl(name, &large, &size, NULL, 0) != 0) return -1;
    return (long long)(small + large);
}

#endif
