// The back office's sections, who may open each, and their keys (Alt+1…): the header, the guard and the ? dialog use it.
import type { Permission } from '../../../common/contract/operators';

export interface BackOfficeSection {
  /** Route name and i18n key under `backoffice.section.` */
  name: 'admin-operators' | 'admin-shops' | 'admin-unmatched' | 'admin-audit' | 'admin-stats' | 'admin-settings';
  path: string;
  /** Any one of these opens the section. */
  needs: readonly Permission[];
  key: string;
}

export const SECTIONS: readonly BackOfficeSection[] = [
  { name: 'admin-operators', path: 'operators', needs: ['manage_operators'], key: 'Alt+1' },
  { name: 'admin-shops', path: 'shops', needs: ['manage_shops'], key: 'Alt+2' },
  { name: 'admin-unmatched', path: 'unmatched', needs: ['manage_operators', 'manage_shops'], key: 'Alt+3' },
  { name: 'admin-audit', path: 'audit', needs: ['manage_operators'], key: 'Alt+4' },
  { name: 'admin-stats', path: 'stats', needs: ['manage_operators'], key: 'Alt+5' },
  { name: 'admin-settings', path: 'settings', needs: ['manage_operators', 'manage_shops'], key: 'Alt+6' },
];

/** The sections an operator holding `permissions` may open, in order. */
export function sectionsFor(permissions: readonly Permission[]): BackOfficeSection[] {
  return SECTIONS.filter((section) => section.needs.some((p) => permissions.includes(p)));
}

export function isBackOfficeRoute(name: unknown): boolean {
  return typeof name === 'string' && SECTIONS.some((section) => section.name === name);
}
