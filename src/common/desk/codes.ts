// The platform's after-sale codes the desk decides on, by name: statuses, handling ways, receipt status.

/** After-sale `status` codes (docs/platform.md, "Status codes and enumerations"). Unknown codes are stored verbatim and never match a name. */
export const Status = {
  REFUND_ONLY_APPLIED: 10,
  RETURN_APPLIED: 11,
  MERCHANT_REFUSED: 12,
  PLATFORM_REFUND_ONLY: 20,
  PLATFORM_RETURN: 21,
  PLATFORM_RETURN_CONFIRMED: 22,
  PLATFORM_AWAITING_BUYER_RECEIPT: 23,
  WAITING_FOR_BUYER_TO_SHIP: 30,
  SHIPPED_BACK: 40,
  EXCHANGE_SHIPPED: 45,
  REFUNDING: 50,
  REFUNDED: 60,
  CLOSED: 70,
} as const;
export type KnownStatus = (typeof Status)[keyof typeof Status];

/** After-sale `handlingWay` codes. */
export const HandlingWay = {
  RETURN_AND_REFUND: 1,
  EXCHANGE: 3,
  RESEND: 4,
  REPAIR: 5,
  REFUND_ONLY: 10,
} as const;

/** After-sale `receiptStatus` codes: whether the platform records the returned goods as received. */
export const ReceiptStatus = {
  NOT_RECEIVED: 1,
  RECEIVED: 2,
} as const;

/** Statuses in which the platform accepts confirm receipt (return-and-refund only). */
export const CONFIRMABLE_STATUSES: readonly number[] = [
  Status.PLATFORM_RETURN_CONFIRMED,
  Status.WAITING_FOR_BUYER_TO_SHIP,
  Status.SHIPPED_BACK,
];

/** The one status in which the platform takes the buyer's return waybill from the merchant: the buyer has not shipped. */
export const WAYBILL_UPLOAD_STATUS: number = Status.WAITING_FOR_BUYER_TO_SHIP;

/** Statuses in which the refund is executing or done: the goods count as received. */
export const RECEIVED_STATUSES: readonly number[] = [Status.REFUNDING, Status.REFUNDED];

/** Every code the desk knows, for tests that walk all states (plus one unknown code). */
export const ALL_STATUSES: readonly number[] = Object.values(Status);
export const ALL_HANDLING_WAYS: readonly number[] = Object.values(HandlingWay);
export const ALL_RECEIPT_STATUSES: readonly number[] = Object.values(ReceiptStatus);
