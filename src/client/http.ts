import { ERROR_CODES, VitrineError, type ErrorCode } from '../core/errors.js';

/**
 * The transport of the typed client: fetch with the API key header, JSON in
 * and out, and errors turned back into the service's stable codes. Works in
 * browsers (cookies by `credentials`) and in Node (a tiny cookie jar keeps
 * the session cookie between calls). No Node-only imports.
 */
export interface ClientOptions {
  /** e.g. "http://127.0.0.1:8080"; "" for same-origin in a browser. */
  baseUrl?: string;
  /** An API key (vk_...) for writer, seller and admin routes. */
  apiKey?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Browser: send cookies ("include" across origins). Default "same-origin". */
  credentials?: RequestInit['credentials'];
  /** Keep the session cookie in memory between calls (for Node; default true when there is no document). */
  cookieJar?: boolean;
}

/** A non-2xx answer, with the service's error code. */
export class VitrineApiError extends VitrineError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    hint?: string,
  ) {
    super(code, message, hint === undefined ? {} : { hint });
    this.name = 'VitrineApiError';
  }
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export function queryString(q: Record<string, QueryValue> | undefined): string {
  if (q === undefined) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    p.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

export class Http {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private cookie: string | undefined;
  private readonly jar: boolean;

  constructor(private readonly opts: ClientOptions) {
    this.base = (opts.baseUrl ?? '').replace(/\/$/, '');
    this.doFetch = opts.fetch ?? ((...a) => fetch(...a));
    this.jar = opts.cookieJar ?? typeof (globalThis as { document?: unknown }).document === 'undefined';
  }

  /** The session cookie the jar holds (Node), e.g. to hand to another client. */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  async raw(method: string, path: string, init: { body?: RequestInit['body']; json?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.opts.apiKey !== undefined) headers['x-api-key'] = this.opts.apiKey;
    if (this.jar && this.cookie !== undefined) headers.cookie = this.cookie;
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await this.doFetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      credentials: this.opts.credentials ?? 'same-origin',
      ...(init.signal === undefined ? {} : { signal: init.signal }),
    });
    this.keepCookie(res);
    if (!res.ok) throw await apiError(res);
    return res;
  }

  async json<T>(method: string, path: string, json?: unknown): Promise<T> {
    const res = await this.raw(method, path, json === undefined ? {} : { json });
    return (await res.json()) as T;
  }

  private keepCookie(res: Response): void {
    if (!this.jar) return;
    const set = res.headers.get('set-cookie');
    if (set === null) return;
    const pair = set.split(';')[0]!;
    this.cookie = /=$/.test(pair) || /Max-Age=0/i.test(set) ? undefined : pair;
  }
}

async function apiError(res: Response): Promise<VitrineApiError> {
  let body: { error?: { code?: string; message?: string; hint?: string } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: keep the status
  }
  const code = (ERROR_CODES as readonly string[]).includes(body.error?.code ?? '') ? (body.error!.code as ErrorCode) : res.status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
  return new VitrineApiError(res.status, code, body.error?.message ?? `HTTP ${res.status}`, body.error?.hint);
}
