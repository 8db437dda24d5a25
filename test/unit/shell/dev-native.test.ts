// `npm run dev` (electron-vite serve) builds better-sqlite3 for Electron first, or stops with the reason.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const spawned = vi.hoisted(() => ({ scripts: [] as string[], status: 0 }));
vi.mock('node:child_process', () => ({
  spawnSync: (_node: string, args: string[]) => {
    spawned.scripts.push(args[0]!);
    return { status: spawned.status };
  },
}));

const { default: config } = (await import('../../../electron.vite.config')) as unknown as {
  default: (env: { command: 'serve' | 'build'; mode: string }) => { main: unknown };
};

describe('electron.vite.config', () => {
  beforeEach(() => {
    spawned.scripts.length = 0;
    spawned.status = 0;
  });

  it('builds the Electron native module before a dev run', () => {
    expect(config({ command: 'serve', mode: 'development' }).main).toBeDefined();
    expect(spawned.scripts).toEqual([expect.stringMatching(/scripts[/\\]electron-native\.mjs$/)]);
  });

  it('stops a dev run with the reason when it cannot be built', () => {
    spawned.status = 1;
    expect(() => config({ command: 'serve', mode: 'development' })).toThrow(/better-sqlite3 built for Electron.*npm run start:web/);
  });

  it('leaves a production build alone (it runs on Node and in the browser host too)', () => {
    config({ command: 'build', mode: 'production' });
    expect(spawned.scripts).toEqual([]);
  });
});

describe('the Electron tests', () => {
  it('build the native module first where Electron exists, and stop with the reason when that fails', async () => {
    const { prepareElectronTests } = await import('../../electron/global-setup');
    const build = vi.fn(() => true);
    prepareElectronTests(() => null, build);
    expect(build).not.toHaveBeenCalled();
    prepareElectronTests(() => '/e/electron', build);
    expect(build).toHaveBeenCalledTimes(1);
    expect(() =>
      prepareElectronTests(
        () => '/e/electron',
        () => false,
      ),
    ).toThrow(/need better-sqlite3 built for Electron/);
  });
});
