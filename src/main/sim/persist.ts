// Optional persistence of the simulated world (changed after-sales, writes, tokens) for the demo shop.
import fs from 'node:fs';
import path from 'node:path';
import type { AuthSnapshot } from './auth';
import type { AppliedWrite } from './shop';
import type { WorldSnapshot } from './world';

export interface SimState {
  version: 2; // 2: tokens kept as digests
  seed: string;
  afterSales: number;
  anchor: number;
  buyerSteps: number;
  world: WorldSnapshot;
  auth: AuthSnapshot;
  writes: AppliedWrite[];
}

export function loadState(file: string): SimState | null {
  if (!fs.existsSync(file)) return null;
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as SimState;
  if (state.version !== 2) throw new Error(`simulator state ${file} has unknown version ${String(state.version)}`);
  return state;
}

/** Atomic replace: write a temp file, fsync, rename. */
export function saveState(file: string, state: SimState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeFileSync(fd, JSON.stringify(state));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
