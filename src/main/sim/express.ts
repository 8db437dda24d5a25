// Courier codes the platform accepts (kuaishou-express-codes.json) and waybill numbers in each courier's real shape.
import type { Rng } from './prng';

/** Every integer expressCode in the platform's 物流公司编号 table; submit.returnInfo refuses anything else. */
const KNOWN_RANGES: [number, number][] = [
  [1, 15],
  [17, 59],
  [61, 145],
  [147, 147],
  [153, 153],
  [1001, 1005],
  [1007, 1008],
  [9999, 9999],
  [19999, 19999],
];

export function isKnownExpressCode(code: number): boolean {
  return KNOWN_RANGES.some(([lo, hi]) => code >= lo && code <= hi);
}

export interface Courier {
  code: number;
  name: string;
  make(rng: Rng): string;
}

/** UPU S10 check digit over an 8-digit serial: weights 8,6,4,2,3,5,9,7; 10 -> 0, 11 -> 5. */
export function s10CheckDigit(serial: string): number {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number(serial[i]) * (weights[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

function emsDomestic(rng: Rng): string {
  // ^1\d{12}$: digits 3-10 are the serial, digit 11 its S10 check digit.
  const head = `1${rng.int(0, 9)}`;
  const serial = rng.digits(8);
  return `${head}${serial}${s10CheckDigit(serial)}${rng.digits(2)}`;
}

function emsS10(rng: Rng): string {
  const serial = rng.digits(8);
  return `E${rng.pick(['A', 'B', 'E', 'M'])}${serial}${s10CheckDigit(serial)}CN`;
}

function jdBody(rng: Rng): string {
  return `JDV${rng.pick(['A', 'B', 'C', 'D', 'E'])}${rng.digits(11)}`;
}

export const COURIERS: Record<string, Courier> = {
  sf: { code: 4, name: '顺丰速运', make: (r) => `SF${r.int(1, 3)}${r.digits(12)}` },
  yto: { code: 6, name: '圆通速递', make: (r) => `YT${r.int(2, 9)}${r.digits(12)}` },
  zto: { code: 9, name: '中通快递', make: (r) => `7${r.pick(['3', '5', '6', '8'])}${r.digits(12)}` },
  sto: { code: 3, name: '申通快递', make: (r) => `77${r.digits(13)}` },
  yunda: { code: 11, name: '韵达快递', make: (r) => `${r.pick(['3', '4'])}${r.digits(14)}` },
  jd: { code: 14, name: '京东', make: jdBody },
  jt: { code: 109, name: '极兔速递', make: (r) => `JT${r.int(1, 9)}${r.digits(12)}` },
  ems: { code: 2, name: 'EMS', make: (r) => (r.chance(0.8) ? emsDomestic(r) : emsS10(r)) },
  post: { code: 8, name: '邮政快递包裹', make: (r) => `9${r.digits(12)}` },
  deppon: { code: 53, name: '德邦快递', make: (r) => `DPK${r.digits(12)}` },
};

/** Buyers send returns with whatever courier is at hand. */
const RETURN_MIX: [Courier, number][] = [
  [COURIERS.sf!, 20],
  [COURIERS.yto!, 16],
  [COURIERS.zto!, 17],
  [COURIERS.sto!, 8],
  [COURIERS.yunda!, 12],
  [COURIERS.jd!, 7],
  [COURIERS.jt!, 11],
  [COURIERS.ems!, 5],
  [COURIERS.post!, 2],
  [COURIERS.deppon!, 2],
];

/** Merchants ship outbound with a few contracted couriers. */
const OUTBOUND_MIX: [Courier, number][] = [
  [COURIERS.zto!, 30],
  [COURIERS.yto!, 25],
  [COURIERS.jt!, 20],
  [COURIERS.yunda!, 12],
  [COURIERS.sf!, 8],
  [COURIERS.ems!, 5],
];

export interface WaybillValue {
  expressNo: string;
  expressCode: number;
}

export function returnWaybill(rng: Rng): WaybillValue {
  const c = rng.weighted(RETURN_MIX);
  return { expressNo: c.make(rng), expressCode: c.code };
}

export function outboundWaybill(rng: Rng): WaybillValue {
  const c = rng.weighted(OUTBOUND_MIX);
  return { expressNo: c.make(rng), expressCode: c.code };
}

export function courierName(code: number): string {
  for (const c of Object.values(COURIERS)) if (c.code === code) return c.name;
  return `物流公司${code}`;
}
