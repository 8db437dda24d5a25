// Refusing a return with evidence, exchanges: the Kuaishou methods behind them, kept beside the core client.
// Field names follow the platform's published SDK request classes; response shapes the public documents do not
// show are read leniently and marked uncertain in docs/platform.md.
import { z } from 'zod';
import type { KuaishouClient, MethodSpec } from './client';
import { wireId } from './json';
import { PlatformError, type PlatformClient } from './types';

export const EVIDENCE_API = {
  rejectReasons: { name: 'open.refund.reject.reason', verb: 'GET' },
  reject: { name: 'open.refund.reject', verb: 'POST' },
  evidenceAdd: { name: 'open.refund.evidence.add', verb: 'POST' },
  imageUpload: { name: 'open.item.image.upload', verb: 'POST' },
  confirmAndSend: { name: 'open.refund.confirm.and.send', verb: 'POST' },
} as const satisfies Record<string, MethodSpec>;

/** The platform's limits as the desk enforces them before anything is sent. */
export const REJECT_LIMITS = { images: 6, descChars: 500, evidenceChars: 500, imageBytes: 5 * 1024 * 1024 } as const;

export interface RejectReason {
  code: number;
  text: string;
  requiresDesc: boolean;
  requiresImages: boolean;
}

export interface RejectRequest {
  refundId: string;
  reasonCode: number;
  rejectDesc?: string;
  rejectImages: string[]; // platform image URLs
  refundVersion: number; // the after-sale's updateTime the decision was made on
}

export interface EvidenceRequest {
  refundId: string;
  images: string[];
  content: string;
}

export interface ImageUpload {
  bytes: Uint8Array;
  contentType: 'image/jpeg' | 'image/png';
}

/** What the buyer asked for in an exchange (the detail's exchangeInfo). */
export interface ExchangeWish {
  skuId: string | null;
  skuNick: string;
}

export interface ConfirmAndSendRequest {
  refundId: string;
  expressNo: string;
  expressCode: number;
}

/** What the refusal and exchange flows need from a shop's client, on top of the after-sale reads and writes. */
export interface EvidenceClient {
  getRejectReasons(refundId: string): Promise<RejectReason[]>;
  rejectRefund(request: RejectRequest): Promise<void>;
  addEvidence(request: EvidenceRequest): Promise<void>;
  uploadImage(upload: ImageUpload): Promise<string>;
  confirmAndSend(request: ConfirmAndSendRequest): Promise<void>;
  getExchangeWish(refundId: string): Promise<ExchangeWish | null>;
}

const flag = z
  .union([z.boolean(), z.number(), z.string()])
  .nullish()
  .transform((v) => v === true || v === 1 || v === '1' || v === 'true');
const reasonWire = z.looseObject({
  reasonCode: z.union([
    z.number().int(),
    z
      .string()
      .regex(/^-?\d{1,9}$/)
      .transform(Number),
  ]),
  reasonDesc: z.string().nullish(),
  reasonText: z.string().nullish(),
  requiredRejectDesc: flag,
  requiredRejectImage: flag,
});
/** The answer may be the list itself or an object around it (uncertain); both are read. */
export const rejectReasonsWire = z
  .union([
    z.array(reasonWire),
    z.object({ reasonList: z.array(reasonWire) }).transform((d) => d.reasonList),
    z.object({ reasons: z.array(reasonWire) }).transform((d) => d.reasons),
  ])
  .transform((list): RejectReason[] =>
    list.map((r) => ({
      code: r.reasonCode,
      text: r.reasonDesc ?? r.reasonText ?? '',
      requiresDesc: r.requiredRejectDesc,
      requiresImages: r.requiredRejectImage,
    })),
  );
/** The upload answers the platform URL of the image; the field name is not documented publicly (uncertain). */
export const imageUploadWire = z
  .union([z.url(), z.object({ url: z.url() }).transform((d) => d.url), z.object({ imageUrl: z.url() }).transform((d) => d.imageUrl)])
  .transform((url): string => url);

/** Only `exchangeInfo` of the refund detail; the rest of the detail is read by the after-sale client. */
export const exchangeWishWire = z
  .looseObject({
    exchangeInfo: z
      .looseObject({
        skuId: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]).nullish(),
        skuNick: z.string().nullish(),
        skuDesc: z.string().nullish(),
      })
      .nullish(),
  })
  .transform((d): ExchangeWish | null =>
    d.exchangeInfo
      ? {
          skuId: d.exchangeInfo.skuId === null || d.exchangeInfo.skuId === undefined ? null : String(d.exchangeInfo.skuId),
          skuNick: d.exchangeInfo.skuNick ?? d.exchangeInfo.skuDesc ?? '',
        }
      : null,
  );

export function evidenceClientOf(kuaishou: KuaishouClient): EvidenceClient {
  return {
    getRejectReasons: (refundId) => kuaishou.call(EVIDENCE_API.rejectReasons, { refundId: wireId(refundId) }, rejectReasonsWire),
    async rejectRefund(request) {
      const param: Record<string, unknown> = {
        refundId: wireId(request.refundId),
        reasonCode: request.reasonCode,
        refundVersion: request.refundVersion,
      };
      if (request.rejectDesc !== undefined && request.rejectDesc !== '') param.rejectDesc = request.rejectDesc;
      if (request.rejectImages.length > 0) param.rejectImages = request.rejectImages;
      await kuaishou.call(EVIDENCE_API.reject, param, null);
    },
    async addEvidence(request) {
      await kuaishou.call(
        EVIDENCE_API.evidenceAdd,
        { refundId: wireId(request.refundId), imageData: request.images, content: request.content },
        null,
      );
    },
    uploadImage: (upload) =>
      // uploadType 2 = by bytes: the bytes travel as a file part, outside the signed `param` (as the SDKs send it).
      kuaishou.call(EVIDENCE_API.imageUpload, { uploadType: 2 }, imageUploadWire, [
        {
          field: 'imgBytes',
          filename: upload.contentType === 'image/png' ? 'evidence.png' : 'evidence.jpg',
          contentType: upload.contentType,
          bytes: upload.bytes,
        },
      ]),
    getExchangeWish: (refundId) =>
      kuaishou.call({ name: 'open.seller.order.refund.detail', verb: 'GET' }, { refundId: wireId(refundId) }, exchangeWishWire),
    async confirmAndSend(request) {
      await kuaishou.call(
        EVIDENCE_API.confirmAndSend,
        { refundId: wireId(request.refundId), expressNo: request.expressNo, expressCode: request.expressCode },
        null,
      );
    },
  };
}

/** The evidence face of a shop's client, or a typed error when that client cannot speak it (a test double). */
export function requireEvidenceClient(client: PlatformClient): EvidenceClient {
  const candidate = client as PlatformClient & { evidence?: EvidenceClient };
  if (!candidate.evidence) {
    throw new PlatformError({ kind: 'invalid_request', message: 'This shop client cannot refuse returns or upload images' });
  }
  return candidate.evidence;
}
