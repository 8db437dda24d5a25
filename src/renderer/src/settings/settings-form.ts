// The settings dialog's logic without the DOM: the fields in the units people think in (seconds, minutes, a 0–100
// volume), the patch of what changed, and the core's refusals put into words for the field they concern.
import type { DeskSettings } from '../../../common/contract/audit';
import { DeskError } from '../../../common/contract';

export type AdminKey = 'undoWindowMs' | 'idleTimeoutMs' | 'duplicateScanWindowMs' | 'syncIntervalMs';

export interface AdminField {
  key: AdminKey;
  unit: 's' | 'min';
  /** ms per unit */
  scale: number;
  /** The contract's range, in the field's unit (shown; the core is what enforces it). */
  min: number;
  max: number;
  step: number;
}

export const ADMIN_FIELDS: readonly AdminField[] = [
  { key: 'undoWindowMs', unit: 's', scale: 1000, min: 0, max: 60, step: 0.5 },
  { key: 'idleTimeoutMs', unit: 'min', scale: 60_000, min: 1, max: 480, step: 1 },
  { key: 'duplicateScanWindowMs', unit: 'min', scale: 60_000, min: 0, max: 60, step: 0.5 },
  { key: 'syncIntervalMs', unit: 's', scale: 1000, min: 10, max: 3600, step: 1 },
];

/** What the dialog edits: volume 0–100, admin values as typed (text, so a half-typed number is kept as is). */
export interface SettingsForm {
  volume: number;
  muted: boolean;
  highContrast: boolean;
  admin: Record<AdminKey, string>;
}

export function toForm(settings: DeskSettings): SettingsForm {
  const admin = Object.fromEntries(ADMIN_FIELDS.map((f) => [f.key, String(settings[f.key] / f.scale)])) as Record<AdminKey, string>;
  return { volume: Math.round(settings.soundVolume * 100), muted: settings.soundMuted, highContrast: settings.highContrast, admin };
}

export type PatchResult = { ok: true; patch: Partial<DeskSettings> } | { ok: false; field: AdminKey };

/**
 * Only what changed, so an operator without manage_operators sends sound and display keys only. A value that is not a number
 * at all is caught here; a number out of range goes to the core, whose refusal the dialog shows.
 */
export function buildPatch(current: DeskSettings, form: SettingsForm, canManage: boolean): PatchResult {
  const patch: Partial<DeskSettings> = {};
  const volume = Math.min(100, Math.max(0, Math.round(form.volume))) / 100;
  if (volume !== current.soundVolume) patch.soundVolume = volume;
  if (form.muted !== current.soundMuted) patch.soundMuted = form.muted;
  if (form.highContrast !== current.highContrast) patch.highContrast = form.highContrast;
  if (!canManage) return { ok: true, patch };
  for (const field of ADMIN_FIELDS) {
    const text = form.admin[field.key].trim().replace(',', '.');
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) return { ok: false, field: field.key };
    const ms = Math.round(value * field.scale);
    if (ms !== current[field.key]) patch[field.key] = ms;
  }
  return { ok: true, patch };
}

export interface SettingsRefusal {
  /** i18n key under `settings.error.` */
  kind: 'forbidden' | 'range' | 'notNumber' | 'other';
  field: AdminKey | null;
  /** The core's own message, shown small for support. */
  message: string;
}

/** The core refused a save: which field, and why, as the dialog says it. */
export function refusalOf(error: unknown): SettingsRefusal {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof DeskError)) return { kind: 'other', field: null, message };
  if (error.code === 'forbidden') return { kind: 'forbidden', field: null, message };
  if (error.code === 'invalid_input') {
    const issues = (error.details as { issues?: { path?: unknown }[] } | undefined)?.issues ?? [];
    const path = issues.map((issue) => String(issue.path ?? '')).find((p) => ADMIN_FIELDS.some((f) => f.key === p));
    return { kind: 'range', field: (path as AdminKey | undefined) ?? null, message };
  }
  return { kind: 'other', field: null, message };
}
