// The desk-record mapping of the warehouse link: stable UUIDv7 ids for rows with only a local number, and audit
// entries read back from the warehouse as a desk keeps them (a desk's envelope, or another writer's details whole).
import { describe, expect, it } from 'vitest';
import { auditHash } from '../../../src/main/warehouse/audit';
import { auditFromFeed, inspectionsFromFeed, parcelsFromFeed, stableUuidv7 } from '../../../src/main/warehouse/link/records-store';
import { isUuidv7, uuidv7Time } from '../../../src/main/warehouse/uuid7';

const AT = Date.UTC(2026, 10, 30, 9, 0, 0);

function feedAudit(details: string, extra: Partial<Record<string, string | null>> = {}) {
  const row = {
    audit_id: stableUuidv7(AT, 'desk-a', 'audit', '7'),
    at_ms: String(AT),
    desk_id: 'desk-a',
    operator_id: null,
    operator_name: 'Boss',
    action: 'scan',
    shop_id: null,
    target: '2140000000000001',
    details,
    prev_hash: '',
    ...extra,
  };
  return { ...row, hash: auditHash(row), seq: '1' };
}

describe('warehouse desk records mapping', () => {
  it('makes the same UUIDv7 for the same desk row, carrying its time, and another for another desk or row', () => {
    const id = stableUuidv7(AT, 'desk-a', 'audit', '7');
    expect(isUuidv7(id)).toBe(true);
    expect(uuidv7Time(id)).toBe(AT);
    expect(stableUuidv7(AT, 'desk-a', 'audit', '7')).toBe(id);
    expect(stableUuidv7(AT, 'desk-b', 'audit', '7')).not.toBe(id);
    expect(stableUuidv7(AT, 'desk-a', 'audit', '8')).not.toBe(id);
    expect(stableUuidv7(AT, 'desk-a', 'evidence', '7')).not.toBe(id);
  });

  it('reads a desk’s entry back with its outcome, code, warning, details and its id at that desk', () => {
    const envelope = JSON.stringify({
      outcome: 'ready',
      scannedCode: 'SF1000000000001',
      overriddenWarning: null,
      details: { scanId: 's-1' },
      local: { id: 7, hash: 'f'.repeat(64) },
    });
    expect(auditFromFeed(feedAudit(envelope))).toMatchObject({
      deskId: 'desk-a',
      deskEntryId: 7,
      at: AT,
      refundId: '2140000000000001',
      outcome: 'ready',
      scannedCode: 'SF1000000000001',
      details: { scanId: 's-1' },
    });
  });

  it('keeps an entry written by something other than a desk whole, and refuses a malformed row', () => {
    expect(auditFromFeed(feedAudit(JSON.stringify({ reason: 'lease expired' })))).toMatchObject({
      outcome: '',
      deskEntryId: null,
      details: { reason: 'lease expired' },
    });
    expect(() => auditFromFeed({ ...feedAudit('{}'), audit_id: 'not-a-uuid' })).toThrow();
  });

  it('names the origin desk of parcels and inspections, and leaves this desk’s inspections out', () => {
    const parcel = {
      parcel_id: '0190a000-0000-7000-8000-000000000001',
      desk_id: 'desk-a',
      operator_id: null,
      operator_name: 'Boss',
      waybill: 'SF1000000000009',
      normalized: 'SF1000000000009',
      note: '',
      registered_at_ms: String(AT),
      resolved_after_sale_id: null,
      resolved_at_ms: null,
      seq: '3',
    };
    expect(parcelsFromFeed([parcel], 'desk-b')[0]).toMatchObject({ originDesk: 'desk-a', registeredAt: AT, resolvedAt: null });
    expect(parcelsFromFeed([parcel], 'desk-a')[0]!.originDesk).toBeNull();
    const inspection = {
      inspection_id: '0190a000-0000-7000-8000-000000000002',
      after_sale_id: '2140000000000001',
      desk_id: 'desk-a',
      operator_id: null,
      result: 'damaged',
      notes: '',
      inspected_at_ms: String(AT),
      seq: '4',
    };
    expect(inspectionsFromFeed([inspection], 'desk-b')).toEqual([
      {
        id: inspection.inspection_id,
        originDesk: 'desk-a',
        refundId: '2140000000000001',
        result: 'damaged',
        note: null,
        operatorId: null,
        at: AT,
      },
    ]);
    expect(inspectionsFromFeed([inspection], 'desk-a')).toEqual([]);
  });
});
