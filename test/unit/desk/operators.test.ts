// Operators: bootstrap, PIN hashing, sign-in with lockout, idle timeout, and who may manage whom.
import { afterEach, describe, expect, it } from 'vitest';
import { deskHarness, MAIN, signInAs, withStaff, type DeskHarness } from './support';

let h: DeskHarness;
afterEach(async () => {
  await h?.core.close();
});

describe('bootstrap and session', () => {
  it('asks for the main account on first run, creates it once and signs it in', async () => {
    h = deskHarness();
    expect(await h.ok('operators.session', {})).toMatchObject({ operator: null, needsBootstrap: true });
    const main = await h.ok('operators.bootstrap', MAIN);
    expect(main).toMatchObject({ name: 'Boss', role: 'main', permissions: ['agree_refund', 'manage_operators', 'manage_shops'] });
    const session = await h.ok('operators.session', {});
    expect(session.needsBootstrap).toBe(false);
    expect(session.operator?.id).toBe(main.id);
    const again = await h.fails('operators.bootstrap', { name: 'Other', pin: '9999' }, 'conflict');
    expect(again.details).toMatchObject({ reason: 'already_bootstrapped' });
    expect(h.count('operators')).toBe(1);
  });

  it('stores no PIN, only a salted scrypt hash that differs per operator', async () => {
    h = deskHarness();
    await h.ok('operators.bootstrap', { name: 'Boss', pin: '246810' });
    await h.ok('operators.save', { name: 'Second', pin: '246810', role: 'admin' });
    const rows = h.core.context.db.prepare('SELECT * FROM operators').all() as Record<string, unknown>[];
    const dump = JSON.stringify(rows) + JSON.stringify(h.core.context.db.prepare('SELECT * FROM audit_log').all());
    expect(dump).not.toContain('246810');
    const [a, b] = rows as { pin_hash: string; pin_salt: string }[];
    expect(a!.pin_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a!.pin_salt).not.toBe(b!.pin_salt);
    expect(a!.pin_hash).not.toBe(b!.pin_hash);
  });

  it('refuses a PIN that is not 4 to 8 digits and a blank name', async () => {
    h = deskHarness();
    await h.fails('operators.bootstrap', { name: 'Boss', pin: '12' }, 'invalid_input');
    await h.fails('operators.bootstrap', { name: 'Boss', pin: 'abcd' }, 'invalid_input');
    await h.fails('operators.bootstrap', { name: '   ', pin: '1234' }, 'invalid_input');
    expect(h.count('operators')).toBe(0);
  });
});

describe('sign in and out', () => {
  it('signs in by name regardless of case, signs out, and audits both', async () => {
    h = deskHarness();
    await h.ok('operators.bootstrap', MAIN);
    expect(await h.ok('operators.signOut', {})).toEqual({ signedOut: true });
    expect(await h.ok('operators.signOut', {})).toEqual({ signedOut: false });
    expect((await h.ok('operators.session', {})).operator).toBeNull();
    const op = await h.ok('operators.signIn', { name: 'bOSS', pin: '1234' });
    expect(op.name).toBe('Boss');
    const actions = (await h.ok('audit.list', {})).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(['operators.signIn:ok', 'operators.signOut:ok', 'operators.bootstrap:ok']);
  });

  it('answers a wrong PIN and an unknown name alike, audited, and locks the name after 5 failures', async () => {
    h = deskHarness();
    await h.ok('operators.bootstrap', MAIN);
    await h.ok('operators.signOut', {});
    const unknown = await h.fails('operators.signIn', { name: 'Nobody', pin: '1234' }, 'not_signed_in');
    const wrong = await h.fails('operators.signIn', { name: 'Boss', pin: '9999' }, 'not_signed_in');
    expect(unknown.message).toBe(wrong.message);
    expect(wrong.details).toMatchObject({ reason: 'wrong_credentials', attemptsLeft: 4 });
    for (let i = 0; i < 3; i++) await h.fails('operators.signIn', { name: 'Boss', pin: '9999' }, 'not_signed_in');
    const fifth = await h.fails('operators.signIn', { name: 'boss', pin: '0000' }, 'not_signed_in');
    expect(fifth.details).toMatchObject({ attemptsLeft: 0, retryAfterMs: 30_000 });
    // Locked: even the right PIN is refused for 30 s.
    const locked = await h.fails('operators.signIn', { name: 'Boss', pin: '1234' }, 'rate_limited');
    expect(locked.details).toMatchObject({ reason: 'locked', retryAfterMs: 30_000 });
    h.clock.advance(29_999);
    await h.fails('operators.signIn', { name: 'Boss', pin: '1234' }, 'rate_limited');
    h.clock.advance(1);
    await h.ok('operators.signIn', { name: 'Boss', pin: '1234' });
    const outcomes = (await h.ok('audit.list', { limit: 20 })).filter((e) => e.action === 'operators.signIn').map((e) => e.outcome);
    expect(outcomes.filter((o) => o === 'wrong_credentials')).toHaveLength(6);
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(2);
    expect(outcomes[0]).toBe('ok');
  });

  it('refuses sign-in before any operator exists', async () => {
    h = deskHarness();
    const error = await h.fails('operators.signIn', { name: 'Boss', pin: '1234' }, 'invalid_state');
    expect(error.details).toMatchObject({ reason: 'needs_bootstrap' });
  });

  it('ends the session after idleTimeoutMs of inactivity; activity keeps it alive, polling the session does not', async () => {
    h = deskHarness();
    await h.ok('operators.bootstrap', MAIN);
    await h.ok('settings.save', { idleTimeoutMs: 60_000 });
    h.clock.advance(59_000);
    await h.ok('audit.list', {}); // activity
    h.clock.advance(59_000);
    expect((await h.ok('operators.session', {})).operator?.name).toBe('Boss');
    h.clock.advance(1_000); // 60 s since the last guarded call
    expect((await h.ok('operators.session', {})).operator).toBeNull();
    const error = await h.fails('audit.list', {}, 'not_signed_in');
    expect(error.details).toMatchObject({ reason: 'signed_out' });
    await signInAs(h, 'Boss', '1234');
    const entries = await h.ok('audit.list', {});
    expect(entries.some((e) => e.action === 'operators.signOut' && e.outcome === 'idle_timeout' && e.operatorName === 'Boss')).toBe(true);
  });

  it('a guarded call after the timeout answers not_signed_in with reason idle_timeout', async () => {
    h = deskHarness();
    await h.ok('operators.bootstrap', MAIN);
    h.clock.advance(15 * 60_000);
    const error = await h.fails('parcels.listUnmatched', {}, 'not_signed_in');
    expect(error.details).toEqual({ reason: 'idle_timeout' });
  });
});

describe('managing operators', () => {
  it('lets main and admin list and save, refuses cs_admin and custom roles without manage_operators', async () => {
    h = deskHarness();
    await withStaff(h);
    expect((await h.ok('operators.list', {})).map((o) => o.name)).toEqual(['Boss', 'Admin', 'Kefu', 'Picker']);
    await signInAs(h, 'Admin');
    await h.ok('operators.save', { name: 'Temp', pin: '1111', role: 'cs_admin' });
    await signInAs(h, 'Kefu');
    await h.fails('operators.list', {}, 'forbidden');
    await h.fails('operators.save', { name: 'Sneaky', pin: '1111', role: 'admin' }, 'forbidden');
    await signInAs(h, 'Picker');
    await h.fails('operators.list', {}, 'forbidden');
    await h.ok('operators.signOut', {});
    await h.fails('operators.list', {}, 'not_signed_in');
    expect(h.count('operators')).toBe(5);
  });

  it('gives built-in roles their fixed permissions and custom roles only what was granted', async () => {
    h = deskHarness();
    await withStaff(h, ['agree_refund']);
    const byName = Object.fromEntries((await h.ok('operators.list', {})).map((o) => [o.name, o]));
    expect(byName.Admin!.permissions).toEqual(['agree_refund', 'manage_operators', 'manage_shops']);
    expect(byName.Kefu!.permissions).toEqual(['agree_refund']);
    expect(byName.Picker).toMatchObject({ role: 'custom', customRoleName: '仓管', permissions: ['agree_refund'] });
    // Permissions sent for a built-in role are ignored: the role decides.
    const cs = await h.ok('operators.save', { name: 'Kefu2', pin: '1111', role: 'cs_admin', permissions: ['manage_shops'] });
    expect(cs.permissions).toEqual(['agree_refund']);
  });

  it('refuses duplicate names (case-insensitive), a create without PIN, editing the main account, self-disable and escalation', async () => {
    h = deskHarness();
    const ids = await withStaff(h);
    expect((await h.fails('operators.save', { name: 'ADMIN', pin: '1111', role: 'admin' }, 'conflict')).details).toMatchObject({
      reason: 'name_taken',
    });
    await h.fails('operators.save', { name: 'Nopin', role: 'admin' }, 'invalid_input');
    await h.fails('operators.save', { id: ids.main, name: 'Boss', role: 'admin' }, 'forbidden');
    await h.fails('operators.save', { id: 'missing', name: 'X', role: 'admin' }, 'not_found');
    await signInAs(h, 'Admin');
    await h.fails('operators.save', { id: ids.admin, name: 'Admin', role: 'admin', disabled: true }, 'conflict');
    // A custom operator who manages operators cannot hand out agree_refund, which they lack.
    await signInAs(h, 'Boss', '1234');
    await h.ok('operators.save', { id: ids.custom, name: 'Picker', role: 'custom', permissions: ['manage_operators'] });
    await signInAs(h, 'Picker');
    const esc = await h.fails('operators.save', { name: 'Evil', pin: '1111', role: 'custom', permissions: ['agree_refund'] }, 'forbidden');
    expect(esc.details).toMatchObject({ permissions: ['agree_refund'] });
    await h.fails('operators.save', { name: 'Evil', pin: '1111', role: 'cs_admin' }, 'forbidden');
    await h.ok('operators.save', { name: 'Helper', pin: '1111', role: 'custom', permissions: ['manage_operators'] });
  });

  it('changes a PIN, and a disabled operator can neither sign in nor keep a session', async () => {
    h = deskHarness();
    const ids = await withStaff(h);
    await h.ok('operators.save', { id: ids.cs, name: 'Kefu', role: 'cs_admin', pin: '5555' });
    await h.fails('operators.signIn', { name: 'Kefu', pin: '0000' }, 'not_signed_in');
    await signInAs(h, 'Kefu', '5555');
    // Disabled by the main account from another desk call while Kefu is signed in here.
    h.core.context.db.prepare('UPDATE operators SET disabled = 1 WHERE id = ?').run(ids.cs);
    expect((await h.fails('audit.list', {}, 'not_signed_in')).details).toEqual({ reason: 'operator_disabled' });
    expect((await h.fails('operators.signIn', { name: 'Kefu', pin: '5555' }, 'forbidden')).details).toEqual({
      reason: 'operator_disabled',
    });
  });
});
