// Scrubs secrets (tokens, app/sign secrets, signatures) out of anything that is about to be logged.
const SECRET_KEY = /(secret|token|sign|password|pin|authorization|cookie)/i;
const SECRET_IN_TEXT = /((?:access_token|refresh_token|app_secret|appSecret|signSecret|sign|token|code)=)[^&\s"']+/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text.replace(SECRET_IN_TEXT, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`);
}

/** Deep-copies a value with every secret-looking key replaced and secret-looking query strings masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}
