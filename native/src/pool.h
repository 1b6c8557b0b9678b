/* Minimal parallel-for over row ranges with pthreads: work is handed out in
 * chunks through an atomic counter, so rows of uneven cost balance out. */
#ifndef VITRINE_POOL_H
#define VITRINE_POOL_H
#include <stdint.h>

typedef void (*range_fn)(void *ctx, int64_t start, int64_t end, int thread);

/* Runs fn over [start, end) in chunks of `chunk` on `threads` threads (1 = inline). */
void parallel_for(int threads, int64_t start, int64_t end, int64_t chunk, range_fn fn, void *ctx);
#endif
