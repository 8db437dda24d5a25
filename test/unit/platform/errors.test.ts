// Every PlatformError kind is reached from the codes AND the messages the platform documents (docs/platform.md, "Errors").
import { describe, expect, it } from 'vitest';
import {
  classify,
  makeScrubber,
  networkFailure,
  platformFailure,
  quotaWaitMs,
  QUOTA_PROBE_MS,
} from '../../../src/main/core/platform/errors';
import type { PlatformErrorKind } from '../../../src/main/core/platform/types';
import { failureFactsOf } from '../../../src/main/core/platform/wire';

const byCode: [string, PlatformErrorKind][] = [
  ['24', 'auth_revoked'],
  ['26', 'auth_revoked'],
  ['100200102', 'auth_revoked'],
  ['16', 'rate_limited'],
  ['802000', 'rate_limited'],
  ['1017', 'quota_exhausted'],
  ['300004', 'window_too_large'],
  ['300019', 'window_too_large'],
  ['300014', 'version_conflict'],
  ['300011', 'not_found'],
  ['300002', 'invalid_state'],
  ['300010', 'invalid_state'],
  ['300012', 'invalid_state'],
  ['300013', 'invalid_state'],
  ['300016', 'invalid_state'],
  ['300017', 'invalid_state'],
  ['300018', 'invalid_state'],
  ['21', 'invalid_state'],
  ['300003', 'invalid_request'],
  ['300005', 'invalid_request'],
  ['28', 'invalid_request'],
  ['100200105', 'invalid_request'],
  ['100200101', 'invalid_request'],
  ['424242', 'unknown'],
];

const byMessage: [string, PlatformErrorKind][] = [
  ['鉴权失败', 'auth_expired'],
  ['TOKEN过期', 'auth_expired'],
  ['access token expired', 'auth_expired'],
  ['AUTHORIZATION_REVOKED', 'auth_revoked'],
  ['refreshToken.discarded', 'auth_revoked'],
  ['Exceed qps limit, KEY [open.seller.order.refund.detail], MAX_QPS [100]', 'rate_limited'],
  ['[1017] exceed quota limit', 'quota_exhausted'],
  ['Exceed quota limit, KEY [app]', 'quota_exhausted'],
  ['sign invalid', 'invalid_request'],
  ['签名错误', 'invalid_request'],
  ['something odd happened', 'unknown'],
];

describe('classify', () => {
  it.each(byCode)('code %s -> %s', (code, kind) => {
    expect(classify({ codes: [code], messages: [] })).toBe(kind);
  });

  it.each(byMessage)('message %s -> %s', (message, kind) => {
    expect(classify({ codes: ['999'], messages: [message] })).toBe(kind);
  });

  it('a business code wins over a loose message; a message wins over an undocumented gateway code', () => {
    expect(classify({ codes: ['300014'], messages: ['鉴权失败'] })).toBe('version_conflict');
    expect(classify({ codes: ['17'], messages: ['[1017] exceed quota limit'] })).toBe('quota_exhausted');
  });

  it('HTTP status when nothing else speaks', () => {
    expect(classify({ codes: [], messages: [], httpStatus: 503 })).toBe('transient');
    expect(classify({ codes: [], messages: [], httpStatus: 429 })).toBe('rate_limited');
  });
});

describe("the platform FAQ's errors (whole envelopes, as the client reads them)", () => {
  const cases: [string, Record<string, unknown>, PlatformErrorKind][] = [
    ['验签失败 without a documented sign code', { result: 40, code: '40', error_msg: '验签失败' }, 'invalid_request'],
    ['验签失败 in sub_msg', { result: 22, error_msg: '系统错误', sub_msg: '验签失败，请检查签名' }, 'invalid_request'],
    ['code 11 with 快递公司不存在', { result: 11, code: '11', error_msg: '参数错误', sub_msg: '快递公司不存在' }, 'invalid_request'],
    ['code 11 with only 快递公司不存在', { result: 11, error_msg: '快递公司不存在' }, 'invalid_request'],
    ['token中无scope权限', { result: 17000, error_msg: 'token中无scope权限' }, 'auth_revoked'],
    ['OAuth 100200500 server_error', { result: 100200500, error: 'server_error', error_msg: 'server error' }, 'transient'],
    ['OAuth 100200103', { result: 100200103, error: 'unsupported_response_type', error_msg: '' }, 'invalid_request'],
    ['OAuth 100200104', { result: 100200104, error: 'unsupported_grant_type', error_msg: '' }, 'invalid_request'],
    ['OAuth 100200107', { result: 100200107, error: 'error', error_msg: 'refused' }, 'invalid_request'],
  ];
  it.each(cases)('%s', (_name, envelope, kind) => {
    expect(classify(failureFactsOf(envelope))).toBe(kind);
  });

  it('none of them was "unknown" by accident: an unrelated message still is', () => {
    expect(classify(failureFactsOf({ result: 40, error_msg: '系统繁忙，结果未知' }))).toBe('unknown');
  });
});

describe('platformFailure / networkFailure', () => {
  it('carries requestId and code, and scrubs secrets echoed by the platform', () => {
    const scrub = makeScrubber(() => ['tok-SECRET-123']);
    const error = platformFailure({
      method: 'open.x',
      facts: { codes: ['300011'], messages: ['refund tok-SECRET-123 not found'] },
      requestId: 'rq-1',
      scrub,
    });
    expect(error.kind).toBe('not_found');
    expect(error.code).toBe('300011');
    expect(error.requestId).toBe('rq-1');
    expect(error.message).toContain('rq-1');
    expect(error.message).not.toContain('tok-SECRET-123');
    expect(error.platformMessage).not.toContain('tok-SECRET-123');
  });

  it('a write is maybeApplied unless the request provably never left', () => {
    expect(networkFailure({ method: 'm', code: 'ECONNRESET', timedOut: false, isWrite: true }).maybeApplied).toBe(true);
    expect(networkFailure({ method: 'm', code: 'ETIMEDOUT', timedOut: true, isWrite: true }).maybeApplied).toBe(true);
    expect(networkFailure({ method: 'm', code: 'ECONNREFUSED', timedOut: false, isWrite: true }).maybeApplied).toBe(false);
    expect(networkFailure({ method: 'm', code: 'ECONNRESET', timedOut: false, isWrite: false }).maybeApplied).toBe(false);
    expect(networkFailure({ method: 'm', code: 'ECONNRESET', timedOut: false, isWrite: false }).kind).toBe('transient');
  });
});

describe('quotaWaitMs', () => {
  // 2024-03-10 23:50 in Beijing is 15:50 UTC; the platform's next midnight is 16:00 UTC.
  const beijing = (h: number, m: number) => Date.UTC(2024, 2, 10, h - 8, m);

  it('waits until just past the platform midnight (Beijing time) when that comes first', () => {
    expect(quotaWaitMs(beijing(23, 50))).toBe(10 * 60_000 + 60_000);
  });

  it('never longer than the probe interval', () => {
    expect(quotaWaitMs(beijing(9, 0))).toBe(QUOTA_PROBE_MS);
    expect(quotaWaitMs(beijing(9, 0), 5_000)).toBe(5_000);
    // 23:59:59 on the desk's clock: the midnight is one second away, plus the grace for clocks that differ.
    expect(quotaWaitMs(beijing(23, 59) + 59_000)).toBe(61_000);
  });
});
