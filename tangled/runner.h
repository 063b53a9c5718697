#ifndef RUNNER_H
#define RUNNER_H
#include "util.h"

/* The work of one thread: items [from, to) of the problem shared; index 0 is the
   calling thread.  Returns ST_OK, or an error that it describes in e. */
typedef int run_work(st_error *e, void *shared, long long from, long long to, int index);

/* The choices of run_threads_with; zero is run_threads's behaviour */
typedef struct run_options {
    int run_unstarted;   /* a refused thread's block is run by the calling thread */
    int serial_blas;     /* OpenBLAS has one thread while the blocks run */
} run_options;

/* Runs work over count items in contiguous blocks on threads threads (clamped to
   [1, count]), the calling thread doing block 0; joins them and returns ST_OK or the
   first error in thread order, copied into e ("cannot start a thread of the TASK"
   when a thread cannot be started). */
int run_threads(st_error *e, int threads, long long count, run_work *work, void *shared,
                const char *task);
/* run_threads with the choices of *options (not NULL) */
int run_threads_with(st_error *e, int threads, long long count, run_work *work,
                     void *shared, const char *task, const run_options *options);
#endif
