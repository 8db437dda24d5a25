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
import { WarehouseError } from '../errors';
import { LeaderGate } from './gate';
import { WarehouseLink, type LinkPart, type WarehouseLinkOptions } from './link';
import { defaultLinkParts } from './parts';

/** The password is never taken from the command line (every local user can read it there). */
export const WAREHOUSE_PASSWORD_ENV = 'RETURNDESK_WAREHOUSE_PASSWORD';
/** The warehouse key file to import (once; the desk keeps it sealed in its data dir): flag first, then environment. */
export const WAREHOUSE_KEY_FLAG = '--warehouse-key';
export const WAREHOUSE_KEY_ENV = 'RETURNDESK_WAREHOUSE_KEY_FILE';

/** The key file named by `--warehouse-key FILE` (or `=FILE`) or RETURNDESK_WAREHOUSE_KEY_FILE; null when none. */
export function warehouseKeyFileOf(input: Pick<WarehouseModeInput, 'argv' | 'env'>): string | null {
  const argv = input.argv ?? [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === WAREHOUSE_KEY_FLAG) {
      const value = argv[index + 1];
      if (!value || value.startsWith('--'))
        throw new WarehouseError('warehouse_config_invalid', `${WAREHOUSE_KEY_FLAG} needs a file after it`);
      return value;
    }
    if (argument.startsWith(`${WAREHOUSE_KEY_FLAG}=`)) return argument.slice(WAREHOUSE_KEY_FLAG.length + 1);
  }
  return input.env?.[WAREHOUSE_KEY_ENV]?.trim() || null;
}

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
  /** A warehouse key file to import at start (for the default parts); see warehouseKeyFileOf. */
  keyFile?: string | null;
};

/** Warehouse mode for the configuration in `input`; null when no warehouse is configured. */
export function prepareWarehouseMode(input: WarehouseModeInput, options: WarehouseModeOptions = {}): WarehouseMode | null {
  const found = warehouseTargetOf(input);
  if (!found) return null;
  const keyFile = options.keyFile ?? warehouseKeyFileOf(input);
  return forTarget(found.target, { ...options, keyFile }, found.source);
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

/** Warehouse mode for a known target (tests, and the entry points once the URL is resolved). */
export function forTarget(
  target: WarehouseTarget,
  options: WarehouseModeOptions = {},
  source: WarehouseUrlSource | null = null,
): WarehouseMode {
  const gate = new LeaderGate();
  const { parts, keyFile, ...linkOptions } = options;
  return {
    target,
    gate,
    attach(core, logger) {
      const link = new WarehouseLink({
        ...linkOptions,
        core,
        target,
        gate,
        parts: parts ? parts(core) : defaultLinkParts(core, { keyFile: keyFile ?? null }),
        ...(logger ? { logger } : {}),
      });
      core.attach(link);
      // The core's warehouse.status reads the link through this hook (the core never imports the warehouse).
      core.context.warehouseLink.watch(() => ({
        state: link.status,
        reason: link.status === 'refused' ? 'schema_newer' : null,
        source,
        target: describeTarget(target),
      }));
      link.start();
      return link;
    },
  };
}
