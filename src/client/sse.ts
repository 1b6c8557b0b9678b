/**
 * A server-sent events reader over fetch's body stream (the WHATWG
 * event-stream format: "event:" and "data:" lines, a blank line ends a
 * message, ":" lines are comments). Used for the live feed; works in Node
 * and browsers without EventSource (which cannot send an API key header).
 */
export interface SseMessage {
  event: string;
  data: string;
}

/** Splits decoded text into messages; keeps the unfinished tail between chunks. */
export class SseParser {
  private buffer = '';

  push(text: string): SseMessage[] {
    this.buffer += text.replace(/\r\n?/g, '\n');
    const out: SseMessage[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line === '') continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) out.push({ event, data: data.join('\n') });
    }
    return out;
  }
}

/** Reads `body` to its end (or until `signal` aborts), calling `onMessage` per message. */
export async function readSse(body: ReadableStream<Uint8Array>, onMessage: (m: SseMessage) => void, signal?: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const stop = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', stop);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const m of parser.push(decoder.decode(value, { stream: true }))) onMessage(m);
    }
  } catch (e) {
    if (signal?.aborted !== true) throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
