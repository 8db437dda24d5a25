// waybills.detect: the core's check of a scan, the same shared logic the renderer runs for instant feedback.
import { classifyScan } from '../../../common/waybill';
import { defineHandlers } from '../context/handlers';

export const waybillHandlers = defineHandlers({
  'waybills.detect': (ctx, input) => {
    const result = classifyScan(input.raw);
    // docs/waybill-numbers.md: log scans that match no known shape, so the rules table can follow drifting formats.
    if (result.kind === 'unknown' && result.normalized.ok) {
      ctx.logger.info('scan matched no known waybill shape', {
        value: result.normalized.value,
        source: result.normalized.source,
      });
    }
    return result;
  },
});
