// Finding 3: parallel sign-in requests defeated the PIN lockout. 100 guesses at once must get at most 5 PIN
// checks, the lock must survive every failure, and the browser host brakes each source as well.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../src/main/core/core';
import * as pin from '../../src/main/core/operators/pin';
import { LOCKOUT_MS, MAX_FAILURES } from '../../src/main/core/operators/sign-in';
import { startBrowserHost, type BrowserHost } from '../../src/main/web/host';
import { SignInBackoff } from '../../src/main/web/sign-in-backoff';
import { tempDir, testCore } from '../support/core';

let core: Core | undefined;
let host: BrowserHost | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await host?.close();
  await core?.close();
  core = host = undefined;
});

function movableClock() {
  let now = Date.UTC(2026, 10, 30, 5, 0, 0);
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const lockRow = (c: Core) =>
  c.context.db.prepare('SELECT failures, locked_until FROM operator_sign_in_failures').get() as {
    failures: number;
    locked_until: number | null;
  };

async function withOperator(clock = movableClock()): Promise<Core> {
  const c = testCore({ clock });
  expect((await c.dispatch('operators.bootstrap', { name: 'Boss', pin: '1234' }, 'ipc')).ok).toBe(true);
  await c.dispatch('operators.signOut', {}, 'ipc');
  return c;
}

describe('PIN lockout under concurrency', () => {
  it('100 parallel guesses (the right PIN among them) get at most 5 PIN checks, and the lock holds', async () => {
    const clock = movableClock();
    core = await withOperator(clock);
    const checks = vi.spyOn(pin, 'verifyPin');
    const guesses = Array.from({ length: 100 }, (_, i) => String(1000 + ((i * 37) % 9000)).padStart(4, '0'));
    guesses[60] = '1234';
    const answers = await Promise.all(guesses.map((guess) => core!.dispatch('operators.signIn', { name: 'Boss', pin: guess }, 'http')));
    expect(checks.mock.calls.length).toBeLessThanOrEqual(MAX_FAILURES);
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'not_signed_in').length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(100 - MAX_FAILURES);
    expect(codes).not.toContain('ok'); // the right PIN arrived after the window's five checks
    expect(lockRow(core).locked_until).toBe(clock.now() + LOCKOUT_MS);
  });

  it('never clears a lock on failure: a wrong PIN finishing after the lock leaves it in place', async () => {
    const clock = movableClock();
    core = await withOperator(clock);
    const wrong = Array.from({ length: MAX_FAILURES }, () => core!.dispatch('operators.signIn', { name: 'Boss', pin: '0000' }, 'http'));
    await Promise.all(wrong);
    expect(lockRow(core).locked_until).not.toBeNull();
    clock.advance(LOCKOUT_MS - 1);
    expect(await core.dispatch('operators.signIn', { name: 'Boss', pin: '1234' }, 'http')).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    clock.advance(1);
    // A new window: again exactly five checks, then locked again.
    const checks = vi.spyOn(pin, 'verifyPin');
    await Promise.all(Array.from({ length: 20 }, () => core!.dispatch('operators.signIn', { name: 'Boss', pin: '0000' }, 'http')));
    expect(checks.mock.calls.length).toBe(MAX_FAILURES);
    expect(lockRow(core).locked_until).toBe(clock.now() + LOCKOUT_MS);
  });

  it('unknown names are limited the same way (no free guessing of which names exist)', async () => {
    core = await withOperator();
    const checks = vi.spyOn(pin, 'verifyPin');
    await Promise.all(Array.from({ length: 30 }, () => core!.dispatch('operators.signIn', { name: 'Ghost', pin: '1111' }, 'http')));
    expect(checks.mock.calls.length).toBe(MAX_FAILURES);
  });
});

describe('per-source backoff in the browser host', () => {
  it('unit: one attempt in flight per source, then a doubling wait after three failures', () => {
    let now = 0;
    const backoff = new SignInBackoff(() => now);
    backoff.begin('a');
    expect(() => backoff.begin('a')).toThrow(/Too many sign-in attempts/);
    backoff.begin('b'); // another source is not held up
    backoff.end('a', false);
    for (let i = 0; i < 2; i++) {
      backoff.begin('a');
      backoff.end('a', false);
    }
    backoff.begin('a');
    backoff.end('a', false); // fourth failure: one second
    expect(() => backoff.begin('a')).toThrow();
    now += 1_000;
    backoff.begin('a');
    backoff.end('a', false); // fifth: two seconds
    now += 1_999;
    expect(() => backoff.begin('a')).toThrow();
    now += 1;
    backoff.begin('a');
    backoff.end('a', true);
    backoff.begin('a'); // a success forgets the source
  });

  it('over HTTP: 100 parallel sign-ins from one source get 429 for all but one', async () => {
    const rendererDir = tempDir('returndesk-renderer-');
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
    core = await withOperator();
    const checks = vi.spyOn(pin, 'verifyPin');
    host = await startBrowserHost({ core, rendererDir, token: 'backoff-token-000' });
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`http://127.0.0.1:${host!.port}/api/operators.signIn`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer backoff-token-000' },
          body: JSON.stringify({ name: 'Boss', pin: String(5000 + i) }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(90);
    expect(checks.mock.calls.length).toBeLessThanOrEqual(MAX_FAILURES);
  });
});
