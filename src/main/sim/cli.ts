// `npm run sim`: runs the Kuaishou simulator on 127.0.0.1 and prints the base URL and the credentials to use.
import { parseArgs } from 'node:util';
import { DEFAULT_AFTER_SALES, DEFAULT_SEED, parseFaults, startSimulator } from './index';

function int(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in ${min}..${max}, got "${text}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      'after-sales': { type: 'string' },
      faults: { type: 'string' },
      'app-key': { type: 'string' },
      'app-secret': { type: 'string' },
      'sign-secret': { type: 'string' },
      'access-token': { type: 'string' },
      'refresh-token': { type: 'string' },
      'max-window-hours': { type: 'string' },
      qps: { type: 'string' },
      'daily-quota': { type: 'string' },
      'buyer-interval-ms': { type: 'string' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'npm run sim -- [--port N] [--seed S] [--after-sales N] [--faults latency=50,jitter=20,5xx=0.05,reset=0.1,timeout=0.05,hang=3000,qps=0.1,expiry=0.01,conflict=0.05,garbage=0.02,seed=7]\n' +
        '               [--app-key K] [--app-secret S] [--sign-secret S] [--access-token T] [--refresh-token T]\n' +
        '               [--max-window-hours H] [--qps N] [--daily-quota N] [--buyer-interval-ms MS] [--state PATH]',
    );
    return;
  }
  const credentials = Object.fromEntries(
    Object.entries({
      appKey: values['app-key'],
      appSecret: values['app-secret'],
      signSecret: values['sign-secret'],
      accessToken: values['access-token'],
      refreshToken: values['refresh-token'],
    }).filter(([, v]) => v !== undefined),
  );
  const hours = int('max-window-hours', values['max-window-hours'], 0.001, 24 * 90);
  const buyerMs = int('buyer-interval-ms', values['buyer-interval-ms'], 0, 86_400_000);
  const started = performance.now();
  const sim = await startSimulator({
    port: int('port', values.port, 0, 65535) ?? 0,
    seed: values.seed ?? DEFAULT_SEED,
    afterSales: int('after-sales', values['after-sales'], 0, 5_000_000) ?? DEFAULT_AFTER_SALES,
    faults: values.faults ? parseFaults(values.faults) : undefined,
    credentials,
    maxWindowMs: hours === undefined ? undefined : Math.round(hours * 3_600_000),
    qpsPerApi: int('qps', values.qps, 1, 1_000_000),
    dailyQuota: int('daily-quota', values['daily-quota'], 0, 1_000_000_000),
    buyerBehaviour: buyerMs ? { intervalMs: buyerMs } : false,
    statePath: values.state,
  });
  const w = sim.control.world();
  console.log(
    `Kuaishou simulator ready in ${Math.round(performance.now() - started)} ms: ${w.afterSales} after-sales, seed "${values.seed ?? DEFAULT_SEED}"`,
  );
  console.log(`Base URL:      ${sim.baseUrl}`);
  console.log(`App key:       ${sim.credentials.appKey}`);
  console.log(`App secret:    ${sim.credentials.appSecret}`);
  console.log(`Sign secret:   ${sim.credentials.signSecret}`);
  console.log(`Access token:  ${sim.credentials.accessToken}`);
  console.log(`Refresh token: ${sim.credentials.refreshToken}`);
  if (values.faults) console.log(`Faults:        ${JSON.stringify(sim.control.getFaults())}`);
  if (values['daily-quota'] !== undefined) console.log(`Daily quota:   ${values['daily-quota']} calls per API per day (Beijing time)`);
  if (buyerMs) console.log(`Buyer clock:   one step every ${buyerMs} ms`);
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
