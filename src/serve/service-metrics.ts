import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';

/**
 * Operational metrics of the running service: per route, the request count,
 * the error count and latency percentiles over the last `window` requests
 * (a ring buffer, so reading them costs a sort of at most 2,048 numbers),
 * and the event loop's delay (what a request waits before its handler runs).
 */
export interface RouteStats {
  route: string;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

class Ring {
  readonly values: Float64Array;
  n = 0;

  constructor(size: number) {
    this.values = new Float64Array(size);
  }

  push(v: number): void {
    this.values[this.n % this.values.length] = v;
    this.n++;
  }

  sorted(): Float64Array {
    return this.values.slice(0, Math.min(this.n, this.values.length)).sort();
  }
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const LOOP_RESOLUTION_MS = 10;

export class ServiceMetrics {
  private readonly routes = new Map<string, { requests: number; errors: number; ring: Ring }>();
  readonly startedAt = Date.now();
  private loop: ELDHistogram | undefined;

  constructor(private readonly window = 2048) {}

  /** Starts sampling the event loop's delay (a 10 ms timer). */
  startLoopMonitor(): void {
    this.loop ??= monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loop.enable();
  }

  stopLoopMonitor(): void {
    this.loop?.disable();
  }

  /**
   * How late the event loop ran a 10 ms timer since the last reset, in ms
   * (the histogram holds the whole intervals; the 10 ms are taken off), then resets.
   */
  eventLoopDelay(): { p50Ms: number; p99Ms: number; maxMs: number } | null {
    const h = this.loop;
    if (h === undefined) return null;
    const ms = (ns: number): number => Math.max(0, Math.round(ns / 1e4) / 100 - LOOP_RESOLUTION_MS);
    const out = { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
    h.reset();
    return out;
  }

  record(route: string, ms: number, status: number): void {
    let r = this.routes.get(route);
    if (r === undefined) {
      r = { requests: 0, errors: 0, ring: new Ring(this.window) };
      this.routes.set(route, r);
    }
    r.requests++;
    if (status >= 500) r.errors++;
    r.ring.push(ms);
  }

  snapshot(): RouteStats[] {
    return [...this.routes].map(([route, r]) => {
      const s = r.ring.sorted();
      const round = (x: number): number => Math.round(x * 1000) / 1000;
      return { route, requests: r.requests, errors: r.errors, p50Ms: round(quantile(s, 0.5)), p99Ms: round(quantile(s, 0.99)), maxMs: round(s.length > 0 ? s[s.length - 1]! : 0) };
    });
  }
}
