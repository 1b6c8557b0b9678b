import { readFileSync } from 'node:fs';

/**
 * CPU time the hypervisor took from this virtual machine ("steal" in
 * /proc/stat), as a share of all CPU time over an interval. On a shared
 * cloud VM a latency tail can come from the host, not from the program:
 * the serve benchmark prints this next to each phase so a bad p99 can be
 * told apart. Linux only; elsewhere `stop()` returns null.
 */
export interface StealMeter {
  /** Percent of CPU time stolen since the meter started (null where /proc/stat is missing). */
  stop(): number | null;
}

function cpuTicks(): { steal: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest times are already inside user/nice)
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { steal: f[7] ?? 0, total };
  } catch {
    return null;
  }
}

export function stealMeter(): StealMeter {
  const a = cpuTicks();
  return {
    stop: () => {
      const b = cpuTicks();
      if (a === null || b === null || b.total <= a.total) return null;
      return Math.round((1000 * (b.steal - a.steal)) / (b.total - a.total)) / 10;
    },
  };
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux builds in use). */
const USER_HZ = 100;

/** CPU time (user + system, all threads) a process has used so far, in ms; null where /proc is missing. */
function processCpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

/**
 * CPU time a process (the server) uses over an interval, per request served
 * in it: with the rate, what share of a core the load costs, which tells a
 * slow server from a starved one. Linux only; elsewhere `stop()` returns null.
 */
export function cpuMeter(pid: number | undefined): { stop(requests: number): number | null } {
  const a = pid === undefined ? null : processCpuMs(pid);
  return {
    stop: (requests) => {
      const b = pid === undefined ? null : processCpuMs(pid);
      if (a === null || b === null || requests <= 0) return null;
      return Math.round((1000 * (b - a)) / requests) / 1000;
    },
  };
}
