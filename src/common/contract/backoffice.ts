// Contract of the back office: the audit viewer's search, binding unmatched parcels, the operator's own PIN.
import { z } from 'zod';
import { auditEntrySchema, unmatchedParcelSchema } from './audit';
import { defineMethods } from './define';
import { decimalIdSchema, epochMsSchema } from './ids';
import { inspectionOutcomesSchema } from './inspection-stats';
import { shopSchema } from './shops';
import { shopSyncEffectiveSchema } from './shop-sync';

const pinSchema = z.string().regex(/^\d{4,8}$/, 'PIN must be 4 to 8 digits');

export const auditSearchSchema = z
  .object({
    operatorId: z.string().max(64).optional(),
    /** Exact action name (scan, receipt.confirm, operators.save, …). */
    action: z.string().max(64).optional(),
    outcome: z.string().max(64).optional(),
    refundId: decimalIdSchema.optional(),
    from: epochMsSchema.optional(),
    to: epochMsSchema.optional(),
    /** Only entries where an operator went on past a warning (e.g. freight insurance). */
    overriddenOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(200),
    beforeId: z.number().int().optional(),
    /** Every desk's entries (warehouse mode; alone, the same as this desk's), newest first, paged by `before`. */
    allDesks: z.boolean().default(false),
    /** The `cursor` of the last entry of the previous page (with allDesks). */
    before: z
      .string()
      .regex(/^[0-9]{1,16}\.[01]\.[0-9]{1,16}$/)
      .optional(),
    /** Also count every entry the filter matches (an export shows its progress against it). */
    countTotal: z.boolean().default(false),
  })
  .strict();
export type AuditSearch = z.input<typeof auditSearchSchema>;
export type UnmatchedParcel = z.infer<typeof unmatchedParcelSchema>;

const countSchema = z.number().int().nonnegative();
const labelledCountSchema = z.object({ label: z.string(), count: countSchema });

/** The statistics of a time range; every number is read from the audit log and the outbox (docs/backoffice.md). */
export const statsSchema = z.object({
  from: epochMsSchema,
  to: epochMsSchema,
  scans: countSchema,
  /** 24 counts: scans per local hour of day (the offset the caller gave). */
  scansByHour: z.array(countSchema).length(24),
  scansByOperator: z.array(labelledCountSchema),
  /** Scans that found an after-sale, by that after-sale's shop. */
  scansByShop: z.array(labelledCountSchema),
  outcomes: z.record(z.string(), countSchema),
  confirms: countSchema,
  confirmedAmountFen: countSchema,
  confirmsAccepted: countSchema,
  insuranceWarningsShown: countSchema,
  insuranceWarningsOverridden: countSchema,
  waybillsUploaded: countSchema,
  /** Seconds from the scan to its confirm, over confirms made from a scan card; null when there were none. */
  scanToConfirmMedianS: z.number().nonnegative().nullable(),
  scanToConfirmCount: countSchema,
  outboxPending: countSchema,
  outboxConflicts: countSchema,
  /** Inspection outcomes of the range: the latest result of each after-sale inspected in it. */
  inspections: inspectionOutcomesSchema,
});
export type Stats = z.infer<typeof statsSchema>;

/** What is still queued for a shop: the manager sees it before disconnecting. */
export const queuedWorkSchema = z.object({ uploads: countSchema, confirms: countSchema, conflicts: countSchema });

export const shopOverviewSchema = z.object({
  shop: shopSchema,
  /** Paused at this desk: no background sync (the cache stays readable, desk actions still queue). */
  paused: z.boolean(),
  afterSales: countSchema,
  queued: queuedWorkSchema,
  lastSyncAt: epochMsSchema.nullable(),
  lastError: z.string().nullable(),
  /** The shop's own sync interval and pacing (null: the desk's), and what it runs with now. */
  sync: shopSyncEffectiveSchema,
});
export type ShopOverview = z.infer<typeof shopOverviewSchema>;

const shopRef = z.string().min(1).max(100);

export const backofficeMethods = defineMethods({
  'audit.search': {
    permission: 'manage_operators',
    changesState: false,
    input: auditSearchSchema,
    output: z.object({
      entries: z.array(auditEntrySchema),
      actions: z.array(z.string()),
      /** Entries matching the filter in all, when countTotal was asked; otherwise null. */
      total: z.number().int().nonnegative().nullable().default(null),
    }),
  },
  'parcels.bind': {
    permission: 'agree_refund',
    changesState: true,
    input: z.object({ parcelId: z.string().min(1).max(64), refundId: decimalIdSchema }).strict(),
    output: unmatchedParcelSchema,
  },
  'stats.summary': {
    permission: 'manage_operators',
    changesState: false,
    input: z
      .object({
        from: epochMsSchema,
        to: epochMsSchema,
        /** Minutes east of UTC of the desk's clock, so "per hour" means the desk's hours. */
        utcOffsetMinutes: z
          .number()
          .int()
          .min(-14 * 60)
          .max(14 * 60)
          .default(0),
      })
      .strict(),
    output: statsSchema,
  },
  'shops.overview': {
    permission: 'manage_shops',
    changesState: false,
    input: z.object({}).strict(),
    output: z.object({ shops: z.array(shopOverviewSchema) }),
  },
  'shops.rename': {
    permission: 'manage_shops',
    changesState: true,
    input: z.object({ shopId: shopRef, name: z.string().trim().min(1).max(100) }).strict(),
    output: shopSchema,
  },
  'shops.setPaused': {
    permission: 'manage_shops',
    changesState: true,
    input: z.object({ shopId: shopRef, paused: z.boolean() }).strict(),
    output: shopOverviewSchema,
  },
  'shops.disconnect': {
    permission: 'manage_shops',
    changesState: true,
    input: z
      .object({
        shopId: shopRef,
        /** The manager saw what is still queued and disconnects anyway (it stays queued until re-authorized). */
        keepQueued: z.boolean().default(false),
      })
      .strict(),
    output: shopOverviewSchema,
  },
  'operators.changeOwnPin': {
    permission: 'signed_in',
    changesState: true,
    input: z.object({ currentPin: z.string().max(16), newPin: pinSchema }).strict(),
    output: z.object({ changed: z.literal(true) }),
  },
});
