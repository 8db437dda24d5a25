// Simulated refusal, evidence, image upload and exchange methods: reasons per after-sale, required fields,
// the refundVersion check, multipart image upload with size and type limits, confirm-and-send for exchanges.
import { createHash } from 'node:crypto';
import type { ApiContext, ApiMethod } from './api';
import { ApiError, CODE } from './envelope';
import { courierName, isKnownExpressCode } from './express';
import { ROLE, type AfterSale } from './model';
import { bad, idParam, intParam, plainParam, strArrayParam, strParam, type Param } from './params';
import type { Shop } from './shop';

/** A file part of a multipart request, as the gateway hands it over. */
export interface UploadedFile {
  bytes: Buffer;
  contentType: string;
  filename: string;
}

export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const IMAGE_HOST = 'https://p1.simulator-img.kwaixiaodian.test';
const MAX_REJECT_IMAGES = 6;
const MAX_TEXT = 500;
const API_STAFF = { staffAccountId: '1000001', staffAccountName: '开放平台应用' };

export interface SimRejectReason {
  reasonCode: number;
  reasonDesc: string;
  requiredRejectDesc: boolean;
  requiredRejectImage: boolean;
}

/** Refusing an application (仅退款 / 退货退款 before anything was shipped back). */
const APPLICATION_REASONS: SimRejectReason[] = [
  { reasonCode: 11, reasonDesc: '商品已发货，请买家拒收后申请', requiredRejectDesc: false, requiredRejectImage: false },
  { reasonCode: 12, reasonDesc: '买家申请理由与事实不符', requiredRejectDesc: true, requiredRejectImage: true },
  { reasonCode: 19, reasonDesc: '其他', requiredRejectDesc: true, requiredRejectImage: false },
];
/** Refusing receipt of the returned goods (拒绝收货). */
const RECEIPT_REASONS: SimRejectReason[] = [
  { reasonCode: 31, reasonDesc: '退回商品影响二次销售', requiredRejectDesc: true, requiredRejectImage: true },
  { reasonCode: 32, reasonDesc: '退回商品与原商品不符', requiredRejectDesc: false, requiredRejectImage: true },
  { reasonCode: 33, reasonDesc: '退回商品缺少配件或赠品', requiredRejectDesc: false, requiredRejectImage: true },
  { reasonCode: 34, reasonDesc: '收到空包裹', requiredRejectDesc: true, requiredRejectImage: true },
  { reasonCode: 35, reasonDesc: '退回商品已损坏', requiredRejectDesc: false, requiredRejectImage: true },
  { reasonCode: 39, reasonDesc: '其他', requiredRejectDesc: true, requiredRejectImage: false },
];

/** The reasons this after-sale may be refused with now; empty when it cannot be refused at all. */
export function reasonsFor(a: AfterSale): SimRejectReason[] {
  if (a.status === 10 || a.status === 11) return APPLICATION_REASONS;
  if ((a.handlingWay === 1 || a.handlingWay === 3) && a.status === 40) return RECEIPT_REASONS;
  return [];
}

/** Images this simulated platform issued, by URL; any other URL in an after-sale field is refused. */
const issued = new WeakMap<Shop, Map<string, number>>();
function issuedOf(shop: Shop): Map<string, number> {
  let m = issued.get(shop);
  if (!m) issued.set(shop, (m = new Map()));
  return m;
}

function imageKind(bytes: Buffer): 'jpg' | 'png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

function uploadImage(c: ApiContext, p: Param): unknown {
  const uploadType = intParam(p, 'uploadType');
  if (uploadType !== 1 && uploadType !== 2) throw bad('uploadType must be 1 (by URL) or 2 (by bytes)', 'INVALID_UPLOAD_TYPE');
  if (uploadType === 1) throw bad('uploadType 1 (by URL) is not offered by this simulator; send the bytes', 'UPLOAD_TYPE_UNSUPPORTED');
  const file = c.files?.imgBytes;
  if (!file) throw bad('imgBytes is required as a multipart file part for uploadType 2', 'IMAGE_MISSING');
  if (file.bytes.length === 0) throw bad('imgBytes is empty', 'IMAGE_EMPTY');
  if (file.bytes.length > IMAGE_MAX_BYTES) throw bad(`image larger than ${IMAGE_MAX_BYTES} bytes`, 'IMAGE_TOO_LARGE');
  const kind = imageKind(file.bytes);
  if (!kind) throw bad('only JPEG and PNG images are accepted', 'IMAGE_TYPE_INVALID');
  const digest = createHash('sha256').update(file.bytes).digest('hex');
  const url = `${IMAGE_HOST}/ks/${digest.slice(0, 32)}.${kind}`;
  const m = issuedOf(c.shop);
  m.set(url, (m.get(url) ?? 0) + 1);
  return { url };
}

function platformImages(c: ApiContext, p: Param, key: string, max: number): string[] {
  const images = strArrayParam(p, key) ?? [];
  if (images.length > max) throw bad(`${key}: at most ${max} images`, 'TOO_MANY_IMAGES');
  const m = issuedOf(c.shop);
  for (const url of images)
    if (!m.has(url)) throw bad(`${key}: ${url.slice(0, 80)} is not an image uploaded to the platform`, 'IMAGE_URL_INVALID');
  return images;
}

function mustGet(c: ApiContext, refundId: string): AfterSale {
  const a = c.shop.world.get(refundId);
  if (!a) throw new ApiError(CODE.NOT_FOUND, '售后单不存在', 'REFUND_NOT_EXIST', `refundId ${refundId} not found`);
  if (a.cancelledByBuyer) throw new ApiError(CODE.BUYER_CANCELLED, '买家已取消售后', 'BUYER_CANCELLED', '买家已撤销售后申请，无法操作');
  return a;
}

function rejectReasons(c: ApiContext, p: Param): unknown {
  const a = mustGet(c, idParam(p, 'refundId'));
  return { reasonList: reasonsFor(a).map((r) => ({ ...r })) };
}

function reject(c: ApiContext, p: Param): unknown {
  const refundId = idParam(p, 'refundId');
  const reasonCode = intParam(p, 'reasonCode');
  if (reasonCode === undefined) throw bad('reasonCode is required');
  const version = intParam(p, 'refundVersion');
  if (version === undefined) throw bad('refundVersion is required (the after-sale updateTime)');
  const desc = strParam(p, 'rejectDesc') ?? '';
  if ([...desc].length > MAX_TEXT) throw bad(`rejectDesc must be at most ${MAX_TEXT} characters`);
  const images = platformImages(c, p, 'rejectImages', MAX_REJECT_IMAGES);
  const peek = mustGet(c, refundId);
  const reasons = reasonsFor(peek);
  if (reasons.length === 0)
    throw new ApiError(CODE.STATUS_NOT_ALLOWED, '当前售后状态不允许该操作', 'STATUS_NOT_ALLOW', `status ${peek.status} cannot be refused`);
  const reason = reasons.find((r) => r.reasonCode === reasonCode);
  if (!reason) throw bad(`reasonCode ${reasonCode} is not a reason for this after-sale`, 'INVALID_REASON_CODE');
  if (reason.requiredRejectDesc && desc.trim() === '') throw bad('this reason requires rejectDesc', 'REJECT_DESC_REQUIRED');
  if (reason.requiredRejectImage && images.length === 0) throw bad('this reason requires rejectImages', 'REJECT_IMAGE_REQUIRED');
  if (version !== peek.updateTime)
    throw new ApiError(
      CODE.REFUND_UPDATED,
      '售后单已更新，请刷新后重试',
      'REFUND_UPDATED',
      `refundVersion ${version}, actual ${peek.updateTime}`,
    );
  if (c.versionRace?.()) loseRace(c.shop, refundId);
  const a = c.shop.require(refundId);
  const ofReceipt = a.status === 40;
  a.status = 12;
  a.negotiateStatus = 3;
  const t = c.shop.touch(a);
  a.negotiateUpdateTime = t;
  c.shop.addHistory(
    a,
    `${ofReceipt ? '商家拒绝收货' : '商家拒绝售后申请'}：${reason.reasonDesc}${desc ? `（${desc}）` : ''}`,
    ROLE.MERCHANT,
    API_STAFF,
  );
  c.shop.writes.push({ method: 'reject', refundId, params: plainParam(p), time: c.now });
  return undefined;
}

function addEvidence(c: ApiContext, p: Param): unknown {
  const refundId = idParam(p, 'refundId');
  const content = strParam(p, 'content') ?? '';
  if ([...content].length > MAX_TEXT) throw bad(`content must be at most ${MAX_TEXT} characters`);
  const images = platformImages(c, p, 'imageData', 9);
  if (images.length === 0 && content.trim() === '') throw bad('imageData or content is required');
  const a = c.shop.require(mustGet(c, refundId).refundId);
  c.shop.touch(a);
  c.shop.addHistory(a, `商家上传凭证：${images.length} 张图片${content ? `，${content}` : ''}`, ROLE.MERCHANT, API_STAFF);
  c.shop.writes.push({ method: 'evidenceAdd', refundId, params: plainParam(p), time: c.now });
  return undefined;
}

function confirmAndSend(c: ApiContext, p: Param): unknown {
  const refundId = idParam(p, 'refundId');
  const expressNo = strParam(p, 'expressNo');
  if (!expressNo || !/^[0-9A-Za-z-]{6,32}$/.test(expressNo)) throw bad('expressNo must be 6..32 letters/digits', 'INVALID_EXPRESS_NO');
  const expressCode = intParam(p, 'expressCode');
  if (expressCode === undefined) throw bad('expressCode is required');
  if (!isKnownExpressCode(expressCode)) throw bad(`expressCode ${expressCode} is not a known courier code`, 'INVALID_EXPRESS_CODE');
  const peek = mustGet(c, refundId);
  if (peek.handlingWay !== 3)
    throw new ApiError(CODE.WRONG_REFUND_TYPE, '售后类型不支持该操作', 'REFUND_TYPE_ERROR', `handlingWay ${peek.handlingWay} is not 换货`);
  if (peek.status !== 40)
    throw new ApiError(CODE.STATUS_NOT_ALLOWED, '当前售后状态不允许该操作', 'STATUS_NOT_ALLOW', `status ${peek.status}: needs 40`);
  if (c.versionRace?.()) loseRace(c.shop, refundId);
  const a = c.shop.require(refundId);
  a.status = 45;
  a.receiptStatus = 2;
  a.negotiateStatus = 2;
  a.negotiateUpdateTime = c.shop.touch(a);
  c.shop.addHistory(a, `商家确认收货并发出换货商品：${courierName(expressCode)} ${expressNo}`, ROLE.MERCHANT, API_STAFF);
  c.shop.writes.push({ method: 'confirmAndSend', refundId, params: plainParam(p), time: c.now });
  return undefined;
}

function loseRace(shop: Shop, refundId: string): never {
  const t = shop.touch(shop.require(refundId));
  throw new ApiError(CODE.REFUND_UPDATED, '售后单已更新，请刷新后重试', 'REFUND_UPDATED', `refund updated at ${t}, refresh and retry`);
}

export const EVIDENCE_METHODS: Record<string, ApiMethod> = {
  'open.refund.reject.reason': { verb: 'GET', write: false, handle: rejectReasons },
  'open.refund.reject': { verb: 'POST', write: true, handle: reject },
  'open.refund.evidence.add': { verb: 'POST', write: true, handle: addEvidence },
  'open.item.image.upload': { verb: 'POST', write: true, multipart: true, handle: uploadImage },
  'open.refund.confirm.and.send': { verb: 'POST', write: true, handle: confirmAndSend },
};

/** How many times each issued image URL was uploaded (tests check "exactly one upload per image"). */
export function uploadsOf(shop: Shop): Record<string, number> {
  return Object.fromEntries(issuedOf(shop));
}
