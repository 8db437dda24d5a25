// Secrets never reach a log line: keys, query strings and bearer headers are masked.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/core/log/logger';
import { redact, redactText } from '../../../src/main/core/log/redact';

describe('redaction', () => {
  it('masks secret-looking keys at any depth', () => {
    const out = JSON.stringify(
      redact({ shop: { appSecret: 's1', signSecret: 's2', accessToken: 't', name: 'ok' }, list: [{ refresh_token: 'r' }] }),
    );
    for (const secret of ['"s1"', '"s2"', '"t"', '"r"']) expect(out).not.toContain(secret);
    expect(out).toContain('"ok"');
  });

  it('masks secrets inside URLs and headers', () => {
    const text = redactText('GET /x?appkey=k&access_token=AT123&sign=SG&param={} Authorization: Bearer abc.def');
    expect(text).not.toMatch(/AT123|SG|abc\.def/);
    expect(text).toContain('appkey=k');
  });

  it('applies to every logger call', () => {
    const lines: string[] = [];
    const logger = createLogger((level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`));
    logger.error('refresh failed for refresh_token=RT999', { error: new Error('app_secret=AS1 rejected'), token: 'TK' });
    expect(lines.join('\n')).not.toMatch(/RT999|AS1|TK/);
  });
});
