// The child processes that kill tests start run under plain tsx, outside vitest: each must load without vitest on its
// import path (a shared helper that imports vitest makes the child die at start and its test fail far from the cause).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function childScripts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /(-child|lock-holder)\.ts$/.test(file))
    .map((file) => path.join(dir, file));
}

const scripts = childScripts(path.join(ROOT, 'test'));

describe('child scripts of the kill tests', () => {
  it('are found (so that the check below checks something)', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(5);
  });

  it.each(scripts.map((file) => [path.relative(ROOT, file), file]))('%s loads and only asks for its arguments', (_name, file) => {
    expect(readFileSync(file, 'utf8')).toContain('usage:');
    const run = spawnSync(TSX, [file], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, WAREHOUSE_TEST_PASSWORD: '' },
    });
    expect(run.stderr).not.toContain('Vitest cannot be imported');
    expect(run.stderr).toContain('usage:');
    expect(run.status).not.toBe(0);
  });
});
