// How the DeskApi client reaches the core: the preload bridge in Electron, HTTP + SSE in a browser.
import type { DeskBridge } from '../../../preload/bridge';

export interface Transport {
  kind: 'ipc' | 'http';
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}

/**
 * The input as plain data, as the HTTP transport sends it: Electron's structured clone refuses a Vue reactive
 * proxy ("could not be cloned"), and the two transports must accept exactly the same inputs.
 */
export function plainInput(input: unknown): unknown {
  return JSON.parse(JSON.stringify(input ?? {})) as unknown;
}

export function ipcTransport(bridge: DeskBridge): Transport {
  return {
    kind: 'ipc',
    call: (method, input) => bridge.call(method, plainInput(input)),
    subscribe: (listener) => bridge.onEvent(listener),
  };
}

export function httpTransport(token: string, fetchImpl: typeof fetch = fetch.bind(globalThis)): Transport {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return {
    kind: 'http',
    async call(method, input) {
      const response = await fetchImpl(`/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
      });
      return response.json();
    },
    subscribe(listener) {
      const controller = new AbortController();
      void readEventStream(fetchImpl, token, controller.signal, listener);
      return () => controller.abort();
    },
  };
}

/** Reads Server-Sent Events with fetch (EventSource cannot send the Authorization header); reconnects on loss. */
async function readEventStream(
  fetchImpl: typeof fetch,
  token: string,
  signal: AbortSignal,
  listener: (name: string, payload: unknown) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const response = await fetchImpl('/api/events', { headers: { authorization: `Bearer ${token}` }, signal });
      if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          dispatchFrame(buffer.slice(0, boundary), listener);
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function dispatchFrame(frame: string, listener: (name: string, payload: unknown) => void): void {
  let name = '';
  let data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith('event: ')) name = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (!name || !data) return;
  try {
    listener(name, JSON.parse(data));
  } catch {
    // A malformed frame is dropped; the next one is independent.
  }
}
