// Runs the Kuaishou simulator in a child process for the benchmark, so its request handling does not share the
// core's thread (the real platform is remote), and connects a core to it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Core } from '../src/main/core/core';

export interface SimProcess {
  baseUrl: string;
  credentials: { appKey: string; appSecret: string; signSecret: string; accessToken: string; refreshToken: string };
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..');

export function startSimProcess(options: { afterSales: number; seed: string; qps?: number }): Promise<SimProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      path.join(ROOT, 'src/main/sim/cli.ts'),
      '--port',
      '0',
      '--after-sales',
      String(options.afterSales),
      '--seed',
      options.seed,
      ...(options.qps ? ['--qps', String(options.qps)] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)?.[1];
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}) before it was ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const refreshToken = field('Refresh token');
      if (!refreshToken) return;
      resolve({
        baseUrl: field('Base URL')!,
        credentials: {
          appKey: field('App key')!,
          appSecret: field('App secret')!,
          signSecret: field('Sign secret')!,
          accessToken: field('Access token')!,
          refreshToken,
        },
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Connects a shop of the simulator through the real method (the core must have a signed-in operator). */
export async function connectSim(core: Core, sim: SimProcess): Promise<string> {
  const answer = await core.dispatch('shops.connect', { name: 'bench-sim', baseUrl: sim.baseUrl, ...sim.credentials }, 'ipc');
  if (!answer.ok) throw new Error(`shops.connect: ${answer.error.code} ${answer.error.message}`);
  return (answer.data as { id: string }).id;
}
