// Connects a test core to a running simulator as a real shop (OAuth pair, refresh possible), answering its id.
import type { Core } from '../../src/main/core/core';
import type { RunningSimulator } from '../../src/main/sim';
import { ensureSignedIn } from './core';

export async function connectToSimulator(core: Core, sim: RunningSimulator): Promise<string> {
  ensureSignedIn(core);
  const c = sim.credentials;
  const answer = await core.dispatch(
    'shops.connect',
    {
      name: 'sim',
      baseUrl: sim.baseUrl,
      appKey: c.appKey,
      signSecret: c.signSecret,
      accessToken: c.accessToken,
      appSecret: c.appSecret,
      refreshToken: c.refreshToken,
    },
    'http',
  );
  if (!answer.ok) throw new Error(`connect failed: ${answer.error.code} ${answer.error.message}`);
  return (answer.data as { id: string }).id;
}
