// A warehouse test's child desk (a tsx script of this folder) in its own process group, so that a SIGKILL takes it
// down at once the way a crash does; what it prints is gathered for the test to wait on.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_PASSWORD } from './pg-server';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface TestChild {
  process: ChildProcess;
  /** All the child printed so far on stdout. */
  out: string;
  /** All the child printed so far on stderr. */
  err: string;
  /** SIGKILL to the child's whole process group. */
  kill(): void;
  /** The same, unless it has ended already (for a finally block). */
  killIfAlive(): void;
  /** Throws "<what> failed" with the child's stderr quoted, once it has printed any (`exited`: only once it ended). */
  throwIfFailed(what: string, options?: { exited?: boolean }): void;
}

// The child's stack is quoted line by line so that vitest does not take its frames for the test's own and go looking
// for their source maps (a tsx loader frame made the report itself crash instead of naming the failure).
function quoted(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  | ${line}`)
    .join('\n');
}

/** Starts `support/<script>` with these arguments (the warehouse test password and `env` added to its environment). */
export function spawnTestChild(script: string, args: string[], env: NodeJS.ProcessEnv = {}): TestChild {
  const child = spawn(TSX, [path.join(import.meta.dirname, script), ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WAREHOUSE_TEST_PASSWORD: TEST_PASSWORD, ...env },
  });
  const running: TestChild = {
    process: child,
    out: '',
    err: '',
    kill: () => process.kill(-child.pid!, 'SIGKILL'),
    killIfAlive: () => {
      if (child.exitCode === null && child.signalCode === null) running.kill();
    },
    throwIfFailed: (what, options = {}) => {
      if (!running.err || (options.exited && child.exitCode === null)) return;
      throw new Error(`${what} failed:\n${quoted(running.err)}`);
    },
  };
  child.stdout.on('data', (chunk: Buffer) => (running.out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (running.err += chunk.toString()));
  return running;
}
