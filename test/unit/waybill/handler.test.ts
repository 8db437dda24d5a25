// waybills.detect through the real core: schema-checked input and output, and a log line for unknown shapes.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { createLogger } from '../../../src/main/core/log/logger';
import { MAX_RAW_SCAN_LENGTH } from '../../../src/common/waybill';
import { signedInTestCore } from '../../support/core';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

describe('waybills.detect', () => {
  it('normalizes and detects through dispatch', async () => {
    core = signedInTestCore();
    const answer = await core.dispatch('waybills.detect', { raw: ']C1ＳＦ１２３４５６７８９０１２３\r\n' }, 'ipc');
    expect(answer).toMatchObject({
      ok: true,
      data: {
        kind: 'waybill',
        idLike: false,
        normalized: { ok: true, value: 'SF1234567890123', source: 'plain' },
        candidates: [{ courierCode: 4, confidence: 'high', reason: 'shape_match' }],
      },
    });
  });

  it('answers a rejection as data with a stable reason code', async () => {
    core = signedInTestCore();
    const answer = await core.dispatch('waybills.detect', { raw: '00012345678901234567' }, 'http');
    expect(answer).toMatchObject({ ok: true, data: { kind: 'rejected', normalized: { ok: false, reason: 'sscc_carton' } } });
  });

  it('refuses malformed input with invalid_input', async () => {
    core = signedInTestCore();
    for (const payload of [{}, { raw: 42 }, { raw: 'x', extra: true }, { raw: 'x'.repeat(MAX_RAW_SCAN_LENGTH + 1) }, null]) {
      const answer = await core.dispatch('waybills.detect', payload, 'http');
      expect(answer, JSON.stringify(payload)?.slice(0, 40)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('logs scans that match no known shape', async () => {
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    core = signedInTestCore({ logger: createLogger((_level, message, fields) => lines.push({ message, fields })) });
    await core.dispatch('waybills.detect', { raw: 'SF1234567890123' }, 'ipc');
    expect(lines).toHaveLength(0);
    const answer = await core.dispatch('waybills.detect', { raw: 'abc123' }, 'ipc');
    expect(answer).toMatchObject({ ok: true, data: { kind: 'unknown', candidates: [] } });
    expect(lines).toEqual([{ message: 'scan matched no known waybill shape', fields: { value: 'ABC123', source: 'plain' } }]);
  });
});
