// The kinds of record a desk shares through the warehouse today; each is a LinkPart (one line here per kind).
import type { Core } from '../../core/core';
import { afterSalesPart } from './after-sales';
import { directoryPart } from './directory';
import { settingsPart } from './directory-settings';
import { shopsPart } from './directory-shops';
import type { LinkPart } from './link';
import { OutboxPart } from './outbox-part';
import { recordsPart } from './records';

export interface DefaultPartsOptions {
  /** A warehouse key file to import at start (`--warehouse-key FILE`); else the key imported before, if any. */
  keyFile?: string | null;
}

/** Every part built so far, in start order (shops before the after-sales of those shops). */
export function defaultLinkParts(core: Core, options: DefaultPartsOptions = {}): LinkPart[] {
  return [
    shopsPart(core, { keyFile: options.keyFile ?? null }),
    afterSalesPart(core),
    new OutboxPart(core),
    recordsPart(core),
    directoryPart(core),
    settingsPart(core),
  ];
}
