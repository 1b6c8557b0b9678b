import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pacedLoad, type PacedJob } from './paced-load.js';

/** Child process of pacedLoadInChild: runs one paced load and sends back its figures. */
process.once('message', (job: PacedJob) => {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  void pacedLoad(job.url, job.rate, job.seconds, (i) => job.paths[i % job.paths.length]!).then((r) => {
    loop.disable();
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    process.send!({ ...r, genLoopP99Ms: ms(loop.percentile(99)), genLoopMaxMs: ms(loop.max) }, () => process.exit(0));
  });
});
