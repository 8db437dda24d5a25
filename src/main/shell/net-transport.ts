// The platform client's HTTP exchange over Chromium's network stack (net.fetch), which honours the operating
// system's proxy and PAC settings as the desk's browser would; axios in the main process ignores them.
import type { HttpTransport } from '../core/platform/http';
import { TransportFailure } from '../core/platform/http';

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

const MAX_BODY_CHARS = 20 * 1024 * 1024;

/**
 * Chromium's errors for a request that certainly never reached the server, in the Node terms the client's
 * retry rules know (a write that was not sent may be sent again). Anything else counts as possibly sent.
 */
const NOT_SENT: Record<string, string> = {
  ERR_CONNECTION_REFUSED: 'ECONNREFUSED',
  ERR_NAME_NOT_RESOLVED: 'ENOTFOUND',
  ERR_NAME_RESOLUTION_FAILED: 'EAI_AGAIN',
  ERR_ADDRESS_UNREACHABLE: 'EHOSTUNREACH',
  ERR_INTERNET_DISCONNECTED: 'ENETUNREACH',
  ERR_PROXY_CONNECTION_FAILED: 'ECONNREFUSED',
  ERR_INVALID_URL: 'ERR_INVALID_URL',
};

function chromiumCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    const match = /net::(ERR_[A-Z_]+)/.exec(current.message);
    if (match) return match[1];
    current = current.cause;
  }
  return undefined;
}

export function createNetTransport(fetchImpl: Fetch): HttpTransport {
  return async (request) => {
    const encoded = new URLSearchParams(request.form).toString();
    const isGet = request.verb === 'GET';
    let response: Response;
    try {
      response = await fetchImpl(isGet ? `${request.url}?${encoded}` : request.url, {
        method: request.verb,
        body: isGet ? undefined : encoded,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', Accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
    } catch (error) {
      // Never pass the error on: its message may hold the URL, and so the token and sign.
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      if (timedOut) throw new TransportFailure('ETIMEDOUT', true);
      const code = chromiumCode(error);
      throw new TransportFailure(code ? (NOT_SENT[code] ?? code) : undefined, false);
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new TransportFailure(timedOut ? 'ETIMEDOUT' : 'ECONNRESET', timedOut);
    }
    if (body.length > MAX_BODY_CHARS) throw new TransportFailure('ERR_RESPONSE_TOO_LARGE', false);
    return { status: response.status, body };
  };
}
