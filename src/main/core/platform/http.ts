// The one HTTP exchange of the client: form-urlencoded GET/POST with a hard deadline, answering raw text.
import axios, { AxiosError } from 'axios';

export interface HttpRequest {
  verb: 'GET' | 'POST';
  url: string;
  /** Sent in the query string for GET, as the form body for POST. */
  form: Record<string, string>;
  /** POST only: when present the body is multipart/form-data (the form fields plus these file parts). */
  files?: readonly HttpFilePart[];
  timeoutMs: number;
}

export interface HttpFilePart {
  field: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** The multipart body of a form with file parts, built by the runtime's own FormData (boundary and escaping). */
function multipartBody(form: Record<string, string>, files: readonly HttpFilePart[]): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(form)) body.append(key, value);
  for (const file of files) body.append(file.field, new Blob([file.bytes], { type: file.contentType }), file.filename);
  return body;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A request that got no HTTP answer. `code` is Node's error code (ECONNREFUSED, ECONNRESET, ...). */
export class TransportFailure extends Error {
  constructor(
    readonly code: string | undefined,
    readonly timedOut: boolean,
  ) {
    super(timedOut ? 'request timed out' : `network error ${code ?? ''}`.trim());
    this.name = 'TransportFailure';
  }
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpAnswer>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export const axiosTransport: HttpTransport = async (request) => {
  const encoded = new URLSearchParams(request.form).toString();
  const isGet = request.verb === 'GET';
  const url = isGet ? `${request.url}?${encoded}` : request.url;
  const multipart = !isGet && request.files !== undefined && request.files.length > 0;
  try {
    const answer = await axios.request<string>({
      method: request.verb,
      url,
      data: isGet ? undefined : multipart ? multipartBody(request.form, request.files ?? []) : encoded,
      // For multipart axios sets the boundary itself from the FormData.
      headers: multipart
        ? { Accept: 'application/json' }
        : { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', Accept: 'application/json' },
      // Raw text: the body must go through the lossless parser, never through JSON.parse.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      maxContentLength: 20 * 1024 * 1024,
      // Socket idle timeout plus a whole-request deadline (the idle one alone never fires on a trickling answer).
      timeout: request.timeoutMs,
      signal: AbortSignal.timeout(request.timeoutMs),
      // A proxy from the environment must never sit between the desk and its local simulator.
      proxy: LOOPBACK.has(new URL(request.url).hostname) ? false : undefined,
    });
    return { status: answer.status, body: typeof answer.data === 'string' ? answer.data : String(answer.data ?? '') };
  } catch (error) {
    // Never pass the AxiosError on: its config holds the URL, the form and so the token and sign.
    if (error instanceof AxiosError || (error instanceof Error && 'code' in error)) {
      const code = (error as { code?: string }).code;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED' || error.name === 'TimeoutError';
      throw new TransportFailure(timedOut ? 'ETIMEDOUT' : (cause ?? code), timedOut);
    }
    throw new TransportFailure(undefined, false);
  }
};
