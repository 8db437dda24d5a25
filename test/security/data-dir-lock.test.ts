// Finding 2: two processes on one data directory both drained the outbox. One process per data directory:
// a second one (core, browser host or Electron) is refused with the holder named and exits non-zero.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { DataDirInUseError } from '../../src/main/core/db/data-dir-lock';
import { tempDir, testCore } from '../support/core';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

let core: Core | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await core?.close();
  core = child = undefined;
});

function run(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const proc = spawn(TSX, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RETURNDESK_WEB_TOKEN: '' } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('one process per data directory', () => {
  it('a second core on the same directory is refused while the first runs, and welcome after it closed', async () => {
    const dataDir = tempDir();
    core = testCore({ dataDir, program: 'first desk' });
    let refused: unknown;
    try {
      testCore({ dataDir });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain(`process ${process.pid} (first desk)`);
    await core.close();
    core = testCore({ dataDir });
    expect((await core.dispatch('app.info', {}, 'ipc')).ok).toBe(true);
  });

  it('a second browser host process exits non-zero naming the process that holds the directory', async () => {
    const dataDir = tempDir();
    core = testCore({ dataDir, program: 'the holder' });
    const second = await run(['src/main/web/cli.ts', '--data-dir', dataDir, '--port', '0']);
    expect(second.code).not.toBe(0);
    expect(second.code).not.toBeNull();
    expect(second.stderr).toContain(`is in use by process ${process.pid} (the holder)`);
    expect(second.stdout).not.toContain('Open');
  });

  it('a process holding the directory in another process is named; its death (even kill -9) frees the directory', async () => {
    const dataDir = tempDir();
    child = spawn(TSX, [path.join(__dirname, 'lock-holder.ts'), dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const holderPid = await new Promise<number>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        const match = /ready (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
      child!.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    expect(() => testCore({ dataDir })).toThrow(`process ${holderPid} (lock-holder)`);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    // tsx's own node child dies with the group; the OS drops its lock as it goes.
    for (let tries = 0; core === undefined; tries += 1) {
      try {
        core = testCore({ dataDir });
      } catch (error) {
        if (!(error instanceof DataDirInUseError) || tries > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect((await core.dispatch('app.info', {}, 'ipc')).ok).toBe(true);
  });
});
