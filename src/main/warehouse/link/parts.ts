// The kinds of record a desk shares through the warehouse today; each is a LinkPart (one line here per kind).
import type { Core } from '../../core/core';
import { afterSalesPart } from './after-sales';
import { directoryPart } from './directory';
import type { LinkPart } from './link';

/** Every part built so far, in start order. */
export function defaultLinkParts(core: Core): LinkPart[] {
  return [afterSalesPart(core), directoryPart(core)];
}
