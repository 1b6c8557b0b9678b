#include "pool.h"
#include <pthread.h>

typedef struct {
  range_fn fn;
  void *ctx;
  int64_t next;
  int64_t end;
  int64_t chunk;
} job_t;

typedef struct {
  job_t *job;
  int thread;
} worker_t;

static void *worker(void *arg) {
  worker_t *w = (worker_t *)arg;
  job_t *job = w->job;
  for (;;) {
    int64_t s = __atomic_fetch_add(&job->next, job->chunk, __ATOMIC_RELAXED);
    if (s >= job->end) break;
    int64_t e = s + job->chunk < job->end ? s + job->chunk : job->end;
    job->fn(job->ctx, s, e, w->thread);
  }
  return NULL;
}

void parallel_for(int threads, int64_t start, int64_t end, int64_t chunk, range_fn fn, void *ctx) {
  if (end <= start) return;
  if (threads <= 1 || end - start <= chunk) {
    fn(ctx, start, end, 0);
    return;
  }
  if (threads > 64) threads = 64;
  job_t job = {fn, ctx, start, end, chunk < 1 ? 1 : chunk};
  pthread_t tids[64];
  worker_t ws[64];
  int started = 0;
  for (int t = 1; t < threads; t++) {
    ws[t].job = &job;
    ws[t].thread = t;
    if (pthread_create(&tids[t], NULL, worker, &ws[t]) == 0) started = t;
    else break;
  }
  ws[0].job = &job;
  ws[0].thread = 0;
  worker(&ws[0]);
  for (int t = 1; t <= started; t++) pthread_join(tids[t], NULL);
}
