import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serveConfig } from '../config.js';
import { priorityLauncher } from './job-priority.js';

/** Scheduling policy (field 41) and nice (field 19) of a node started with `prefix`, from /proc. */
function scheduling(prefix: string[]): { policy: number; nice: number } {
  const script = "const s=require('fs').readFileSync('/proc/self/stat','utf8');const f=s.slice(s.lastIndexOf(')')+2).split(' ');console.log(f[38]+' '+f[16])";
  const argv = [...prefix, process.execPath, '-e', script];
  const out = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  const [policy, nice] = out.stdout.trim().split(' ').map(Number);
  return { policy: policy!, nice: nice! };
}

describe('job priority', () => {
  it('starts job processes at the priority asked for, or the nearest weaker one that works', () => {
    expect(priorityLauncher('normal')).toEqual({ prefix: [], priority: 'normal' });
    const idle = priorityLauncher('idle');
    const low = priorityLauncher('low');
    if (process.platform !== 'linux') return void expect(idle.priority).not.toBe('idle');
    // SCHED_IDLE is policy 5; nice 19 keeps the normal policy 0
    expect(scheduling(idle.prefix)).toMatchObject(idle.priority === 'idle' ? { policy: 5 } : idle.priority === 'low' ? { policy: 0, nice: 19 } : { policy: 0 });
    expect(scheduling(low.prefix)).toMatchObject(low.priority === 'low' ? { policy: 0, nice: 19 } : { policy: 0 });
  });

  it('is a validated serve setting', () => {
    expect(serveConfig().jobPriority).toBe('idle');
    expect(serveConfig({ jobPriority: 'low' }).jobPriority).toBe('low');
    expect(() => serveConfig({ jobPriority: 'urgent' as never })).toThrow(/jobPriority must be one of idle, low, normal/);
  });
});
