// Link timings for warehouse tests, kept free of vitest so that the child desk processes (plain tsx) can import them.
import type { WarehouseModeOptions } from '../../../../src/main/warehouse/link/start';

/** Fast everywhere: a takeover within about leaderRetryMs, a new shop campaigned for within shopPollMs. */
export const FAST_LINK: WarehouseModeOptions = { retryMs: 200, leaderRetryMs: 200, shopPollMs: 200, reconnectDelayMs: 200 };
