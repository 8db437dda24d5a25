// Readings of the platform that the public sources disagree on: the simulator can answer in each of them, so
// the client is tested against every form a real gateway may use (docs/platform.md, "where they disagree").

export interface WireVariants {
  /** The cursor of the last page: `"nomore"` as documented (default), or `""` as an SDK also reads as the end. */
  endCursor?: 'nomore' | '';
  /** `data` of a successful list answer without rows: an object (default), `null`, or left out. */
  emptyListData?: 'object' | 'null' | 'absent';
  /** `returnFreightInfo` of an after-sale without a postage claim: left out (default) or present with zeros. */
  noClaimFreight?: 'absent' | 'zeros';
}

export function validateVariants(v: WireVariants = {}): Required<WireVariants> {
  const out: Required<WireVariants> = {
    endCursor: v.endCursor ?? 'nomore',
    emptyListData: v.emptyListData ?? 'object',
    noClaimFreight: v.noClaimFreight ?? 'absent',
  };
  if (out.endCursor !== 'nomore' && out.endCursor !== '') throw new Error(`endCursor must be "nomore" or "", got ${String(v.endCursor)}`);
  if (!['object', 'null', 'absent'].includes(out.emptyListData))
    throw new Error(`emptyListData must be object, null or absent, got ${String(v.emptyListData)}`);
  if (out.noClaimFreight !== 'absent' && out.noClaimFreight !== 'zeros')
    throw new Error(`noClaimFreight must be absent or zeros, got ${String(v.noClaimFreight)}`);
  return out;
}
