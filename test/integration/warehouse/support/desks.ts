// Test harness of warehouse mode: one real PostgreSQL, one simulator per shop, N desks (cores on their own data
// dirs, each connected to every shop and linked to the warehouse), started and stopped together.
import { afterEach } from 'vitest';
import type { Core } from '../../../../src/main/core/core';
import { saveSettings } from '../../../../src/main/core/settings/settings';
import { configureSync } from '../../../../src/main/core/sync/runtime';
import { createCore } from '../../../../src/main/core/core';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../../src/main/sim';
import type { WarehouseLink } from '../../../../src/main/warehouse/link/link';
import { forTarget, type WarehouseModeOptions } from '../../../../src/main/warehouse/link/start';
import { ensureSignedIn, tempDir } from '../../../support/core';
import { connectToSimulator } from '../../../support/simulator-shop';
import { FAST_PLATFORM, FAST_SYNC } from '../../sync/support';
import { cuttableProxy, type CutProxy } from './cut-proxy';
import { FAST_LINK } from './fast-link';
import { startTestWarehouse, type TestWarehouse } from './pg-server';

export interface TestDesk {
  name: string;
  core: Core;
  dataDir: string;
  link: WarehouseLink;
  /** This desk's local shop id of each simulator, in the order of the cluster's `sims`. */
  shopIds: string[];
  /** Closes the core (which stops its link first); safe to call twice. */
  close(): Promise<void>;
  closed: boolean;
}

export interface DeskCluster {
  warehouse: TestWarehouse;
  sims: RunningSimulator[];
  desks: TestDesk[];
  /** Starts one more desk on the same warehouse and shops (a fresh data dir unless one is given). */
  addDesk(options?: { dataDir?: string }): Promise<TestDesk>;
  /** Closes every desk, the simulators and the server. */
  stop(): Promise<void>;
}

export interface DeskClusterOptions {
  desks: number;
  /** One simulator (one shop) per entry; default one shop of 200 after-sales. */
  shops?: SimulatorOptions[];
  /** Background services (sync scheduler, outbox worker); on by default, as a real desk runs them. */
  startServices?: boolean;
  /** Link tunables; tests default to fast retries and a fast shop poll. */
  link?: WarehouseModeOptions;
  /** An already running warehouse (e.g. to start desks against a server that is down); default: a fresh one. */
  warehouse?: TestWarehouse;
  /** Already running simulators to use instead of `shops` (left running by stop()). */
  sims?: RunningSimulator[];
  /** Runs once every first desk is connected to its shops, before any link starts (e.g. to reset call counts). */
  beforeLink?: () => void;
  /** Data dirs for the first desks (prepareDeskDir), in order; the rest get fresh ones. */
  dataDirs?: string[];
}

export { FAST_LINK };

/**
 * Registers an afterEach that stops every cluster the returned starter started during the test; call it at the top
 * of a test file or describe block and start clusters with the starter.
 */
export function desksPerTest(): typeof startDesks {
  const started: DeskCluster[] = [];
  afterEach(async () => {
    for (const cluster of started.splice(0)) await cluster.stop();
  });
  return async (options) => {
    const cluster = await startDesks(options);
    started.push(cluster);
    return cluster;
  };
}

export async function startDesks(options: DeskClusterOptions): Promise<DeskCluster> {
  const warehouse = options.warehouse ?? (await startTestWarehouse());
  const sims: RunningSimulator[] = [];
  const desks: TestDesk[] = [];
  try {
    if (options.sims) sims.push(...options.sims);
    else {
      for (const [index, shop] of (options.shops ?? [{ afterSales: 200 }]).entries()) {
        sims.push(await startSimulator({ port: 0, seed: `warehouse-shop-${index}`, qpsPerApi: 10_000, ...shop }));
      }
    }
    const ownSims = options.sims ? [] : sims;
    const openDesk = async (deskOptions: { dataDir?: string }): Promise<{ desk: TestDesk; link: () => void }> => {
      const name = `desk-${desks.length + 1}`;
      const dataDir = deskOptions.dataDir ?? tempDir(`returndesk-${name}-`);
      const mode = forTarget(warehouse.target, { ...FAST_LINK, ...options.link });
      const core = createCore({
        dataDir,
        appVersion: 'test',
        startServices: options.startServices ?? true,
        platform: FAST_PLATFORM,
        syncGate: mode.gate,
        program: `warehouse test ${name}`,
      });
      ensureSignedIn(core);
      configureSync(core.context, FAST_SYNC);
      const shopIds: string[] = [];
      for (const sim of sims) {
        // A prepared data dir (prepareDeskDir) holds the shop already: no connection check, no platform call.
        const held = core.context.shops.list().find((shop) => shop.baseUrl === sim.baseUrl);
        shopIds.push(held ? held.id : await connectToSimulator(core, sim));
      }
      const desk: TestDesk = {
        name,
        core,
        dataDir,
        link: null as unknown as WarehouseLink,
        shopIds,
        closed: false,
        async close() {
          if (desk.closed) return;
          desk.closed = true;
          await core.close();
        },
      };
      desks.push(desk);
      return { desk, link: () => void (desk.link = mode.attach(core)) };
    };
    const addDesk = async (deskOptions: { dataDir?: string } = {}): Promise<TestDesk> => {
      const { desk, link } = await openDesk(deskOptions);
      link();
      return desk;
    };
    const opened: (() => void)[] = [];
    for (let n = 0; n < options.desks; n += 1) {
      const dataDir = options.dataDirs?.[n];
      opened.push((await openDesk(dataDir ? { dataDir } : {})).link);
    }
    options.beforeLink?.();
    for (const link of opened) link();
    return {
      warehouse,
      sims,
      desks,
      addDesk,
      async stop() {
        for (const desk of desks) await desk.close().catch(() => undefined);
        for (const sim of ownSims) await sim.close().catch(() => undefined);
        if (!options.warehouse) await warehouse.stop();
      },
    };
  } catch (error) {
    for (const desk of desks) await desk.close().catch(() => undefined);
    if (!options.sims) for (const sim of sims) await sim.close().catch(() => undefined);
    if (!options.warehouse) await warehouse.stop();
    throw error;
  }
}

/**
 * A desk of its own (not in the cluster's list, not stopped with it) that reaches the cluster's warehouse through a
 * proxy whose cable the test pulls: signed in, undo window off, the simulator's shop connected, linked. `close`
 * closes the desk and the proxy.
 */
export async function deskBehindProxy(
  cluster: Pick<DeskCluster, 'warehouse'>,
  sim: RunningSimulator,
  name: string,
  parts: WarehouseModeOptions['parts'],
): Promise<{ desk: TestDesk; proxy: CutProxy; close(): Promise<void> }> {
  const proxy = await cuttableProxy(cluster.warehouse.server.port);
  const mode = forTarget({ ...cluster.warehouse.target, port: proxy.port }, { ...FAST_LINK, parts });
  const dataDir = tempDir(`returndesk-${name}-`);
  const core = createCore({ dataDir, appVersion: 'test', platform: FAST_PLATFORM, syncGate: mode.gate });
  const close = async () => {
    await core.close();
    await proxy.close();
  };
  try {
    ensureSignedIn(core);
    configureSync(core.context, FAST_SYNC);
    saveSettings(core.context, { undoWindowMs: 0 });
    const shopId = await connectToSimulator(core, sim);
    const link = mode.attach(core);
    await link.whenLinked();
    const desk: TestDesk = { name, core, dataDir, link, shopIds: [shopId], closed: false, close: () => core.close() };
    return { desk, proxy, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A data dir with every shop connected (and closed again), for a desk started later or in a child process. */
export async function prepareDeskDir(sims: readonly RunningSimulator[], name = 'desk'): Promise<string> {
  const dataDir = tempDir(`returndesk-${name}-`);
  const core = createCore({ dataDir, appVersion: 'test', startServices: false, platform: FAST_PLATFORM });
  try {
    ensureSignedIn(core);
    for (const sim of sims) await connectToSimulator(core, sim);
  } finally {
    await core.close();
  }
  return dataDir;
}

/** Polls `probe` until it answers true (or throws with `what` after `timeoutMs`). */
export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The desk that pulls the shop (the sim at `shopIndex`) now, or null. */
export function leaderOf(cluster: Pick<DeskCluster, 'desks'>, shopIndex: number): TestDesk | null {
  const leaders = cluster.desks.filter((desk) => !desk.closed && desk.core.context.sync.gate.pulls(desk.shopIds[shopIndex]!));
  if (leaders.length > 1)
    throw new Error(`${leaders.length} desks pull shop ${shopIndex} at once: ${leaders.map((d) => d.name).join(', ')}`);
  return leaders[0] ?? null;
}
