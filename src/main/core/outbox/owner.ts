// Who holds a claimed outbox row: this process's owner tag, a lease, and the rule for "the owner is gone".
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

/** Long enough for any single send with its retries; only start-up recovery reads it. */
export const LEASE_MS = 5 * 60_000;

/** `host/pid/nonce`: the nonce tells this process from an earlier one that had the same pid. */
export const PROCESS_OWNER = `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

/** A killed process whose parent died too can stay a zombie where nothing reaps orphans (some containers). */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when nobody can still be sending the row: no owner recorded, our own tag (recovery runs before our
 * worker starts), an expired lease, or an owner process on this host that no longer exists.
 */
export function ownerGone(owner: string | null, leaseUntil: number | null, now: number, me = PROCESS_OWNER): boolean {
  if (owner === null || owner === me) return true;
  if (leaseUntil === null || leaseUntil <= now) return true;
  const [host, pid] = owner.split('/');
  return host === os.hostname() && !processAlive(Number(pid));
}
