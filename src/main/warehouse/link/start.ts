// Warehouse mode for an entry point: reads where the warehouse is, gives createCore the gate, starts the link with the core.
import type { Core } from '../../core/core';
import type { Logger } from '../../core/log/logger';
import type { SyncGate } from '../../core/sync/runtime';
import type { StoredWarehouseConnection } from '../../core/warehouse-settings/store';
import {
  describeTarget,
  parseWarehouseUrl,
  resolveWarehouseUrl,
  type WarehouseSettings,
  type WarehouseTarget,
  type WarehouseUrlSource,
} from '../config';
import { LeaderGate } from './gate';
import { WarehouseLink, type LinkPart, type WarehouseLinkOptions } from './link';
import { defaultLinkParts } from './parts';

/** The password is never taken from the command line (every local user can read it there). */
export const WAREHOUSE_PASSWORD_ENV = 'RETURNDESK_WAREHOUSE_PASSWORD';

export interface WarehouseModeInput {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** The desk's stored warehouse settings with the password already unsealed (CoreOptions.syncGateFromStored gives them). */
  settings?: (WarehouseSettings & { password?: string }) | null;
}

/**
 * Where this desk's warehouse is, or null when none is configured (the default: one desk, SQLite only).
 * A URL that is given but wrong throws `warehouse_config_invalid`: the desk should say so rather than start alone.
 */
export function warehouseTargetOf(input: WarehouseModeInput): { target: WarehouseTarget; source: WarehouseUrlSource } | null {
  const resolved = resolveWarehouseUrl({ argv: input.argv, env: input.env, settings: input.settings ?? null });
  if (!resolved) return null;
  const password = input.env?.[WAREHOUSE_PASSWORD_ENV] || (resolved.source === 'settings' ? input.settings?.password : undefined);
  const tls = resolved.source === 'settings' ? input.settings?.tls : undefined;
  const target = parseWarehouseUrl(resolved.url, { ...(tls ? { tls } : {}), ...(password ? { password } : {}) });
  return { target, source: resolved.source };
}

export interface WarehouseMode {
  target: WarehouseTarget;
  /** Give this to createCore (CoreOptions.syncGate). */
  gate: LeaderGate;
  /** Starts the link for the core (in the background) and ties it to the core's close(). */
  attach(core: Core, logger?: Logger): WarehouseLink;
}

export type WarehouseModeOptions = Omit<WarehouseLinkOptions, 'core' | 'target' | 'gate' | 'parts' | 'logger'> & {
  /** The link's parts; default: every shared kind of record built so far (defaultLinkParts). */
  parts?: (core: Core) => readonly LinkPart[];
};

/** Warehouse mode for the configuration in `input`; null when no warehouse is configured. */
export function prepareWarehouseMode(input: WarehouseModeInput, options: WarehouseModeOptions = {}): WarehouseMode | null {
  const found = warehouseTargetOf(input);
  if (!found) return null;
  return forTarget(found.target, options, found.source);
}

/**
 * For an entry point: give `gateFor` to createCore (CoreOptions.syncGateFromStored), which calls it with the desk's
 * stored settings before its scheduler starts; `mode()` is then the warehouse mode (command line and environment
 * win over the settings), or null when the desk works alone.
 */
export function warehouseFromStored(
  input: Omit<WarehouseModeInput, 'settings'>,
  options: WarehouseModeOptions = {},
): { gateFor(stored: StoredWarehouseConnection | null): SyncGate | undefined; mode(): WarehouseMode | null } {
  let mode: WarehouseMode | null = null;
  return {
    gateFor(stored) {
      mode = prepareWarehouseMode({ ...input, settings: stored }, options);
      return mode?.gate;
    },
    mode: () => mode,
  };
}

const REFUSED_REASON = 'the warehouse schema is newer than this desk knows; the desk works alone';

/** Warehouse mode for a known target (tests, and the entry points once the URL is resolved). */
export function forTarget(
  target: WarehouseTarget,
  options: WarehouseModeOptions = {},
  source: WarehouseUrlSource | null = null,
): WarehouseMode {
  const gate = new LeaderGate();
  const { parts, ...linkOptions } = options;
  return {
    target,
    gate,
    attach(core, logger) {
      const link = new WarehouseLink({
        ...linkOptions,
        core,
        target,
        gate,
        parts: (parts ?? defaultLinkParts)(core),
        ...(logger ? { logger } : {}),
      });
      core.attach(link);
      // The core's warehouse.status reads the link through this hook (the core never imports the warehouse).
      core.context.warehouseLink.watch(() => ({
        state: link.status,
        reason: link.status === 'refused' ? REFUSED_REASON : null,
        source,
        target: describeTarget(target),
      }));
      link.start();
      return link;
    },
  };
}
