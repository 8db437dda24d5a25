// A waybill a desk method was given, checked one way everywhere: the number as a scan normalizes it, the courier a
// Kuaishou express code; anything else is a typed invalid_input naming the field.
import { courierByCode, type Courier } from '../../../common/couriers';
import { DeskError } from '../../../common/contract/errors';
import { normalizeScan, type NormalizeOk } from '../../../common/waybill';

export function waybillNumberOf(raw: string): NormalizeOk {
  const normalized = normalizeScan(raw);
  if (!normalized.ok) {
    throw new DeskError('invalid_input', normalized.message, {
      reason: normalized.reason,
      issues: [{ path: 'expressNo', message: normalized.message }],
    });
  }
  return normalized;
}

export function courierOf(expressCode: number): Courier {
  const courier = courierByCode(expressCode);
  if (!courier) {
    throw new DeskError('invalid_input', `Unknown courier code ${expressCode}`, {
      reason: 'unknown_courier',
      issues: [{ path: 'expressCode', message: 'not a Kuaishou express code' }],
    });
  }
  return courier;
}
