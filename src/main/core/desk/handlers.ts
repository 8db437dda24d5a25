// Handlers of the desk actions: scan.lookup, waybills.submit / alias, receipts.confirm / confirmBatch / undo.
import { defineHandlers } from '../handlers';
import { aliasWaybill } from './alias';
import { confirmBatch, confirmReceipt, undoReceipt } from './receipts';
import { scanLookup } from './scan';
import { submitWaybill } from './waybill';

export const deskHandlers = defineHandlers({
  'scan.lookup': scanLookup,
  'waybills.submit': submitWaybill,
  'receipts.confirm': confirmReceipt,
  'receipts.confirmBatch': confirmBatch,
  'receipts.undo': undoReceipt,
  'waybills.alias': aliasWaybill,
});
