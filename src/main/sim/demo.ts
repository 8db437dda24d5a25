// The simulator as the app's built-in demo shop: a few thousand after-sales and buyers who keep shipping and cancelling.
import { startSimulator, type RunningSimulator } from './index';

const DEMO_AFTER_SALES = 3000;
const DEMO_BUYER_INTERVAL_MS = 20_000;

/**
 * Started by the demo shop of the core, which the entry points (shell, web host, tests) hand this function to.
 * The simulator always binds 127.0.0.1; port 0 picks a free one. Its buyers keep acting, so a desk left open
 * on the demo shop sees the world change as it would on a real one.
 */
export function startDemoSimulator(options: { seed: number; statePath: string; port: number }): Promise<RunningSimulator> {
  return startSimulator({
    seed: options.seed,
    statePath: options.statePath,
    port: options.port,
    afterSales: DEMO_AFTER_SALES,
    buyerBehaviour: { intervalMs: DEMO_BUYER_INTERVAL_MS },
  });
}
