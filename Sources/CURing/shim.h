#ifndef IOWQ_CURING_SHIM_H
#define IOWQ_CURING_SHIM_H

/* The system headers come first, so they are imported from the C library's own module before
 * liburing.h defines _GNU_SOURCE and _XOPEN_SOURCE: otherwise a clean build may compile them a
 * second time with other feature macros into this module, and fd_set no longer matches Glibc's. */
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <liburing.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

/* liburing's flags are macros, which Swift does not import: the ones the kernel anchor uses. */

static const unsigned iou_sqe_async = IOSQE_ASYNC;
static const unsigned iou_setup_cqsize = IORING_SETUP_CQSIZE;
static const unsigned iou_cancel_any = IORING_ASYNC_CANCEL_ANY;
static const unsigned iou_cancel_all = IORING_ASYNC_CANCEL_ALL;

/* Tags the anchor's own cancel requests, so their completions are never taken for an item's. */
static const uint64_t iou_cancel_tag = UINT64_MAX;

#endif
