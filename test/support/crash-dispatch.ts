import type { SendGate } from '../../src/services/dispatch/index.js';
import type { ContentCheck } from '../../src/templates/index.js';
/**
 * Run as a child process by test/dispatch.test.ts: dispatches with a channel that really sends and then
 * kills this process with SIGKILL before the outcome can be recorded — a crash between send and record.
 * argv: DATABASE_URL KEY_DIR SMTP_URL|eml:DIR
 */
import { emlFileEmail, smtpEmail, type ChannelAdapter } from '../../src/channels/index.js';
import { loadSigner } from '../../src/notices/index.js';
import { dispatch } from '../../src/services/dispatch/index.js';
import { openStore } from '../../src/store/index.js';
import { SENDER } from './notices.js';

/**
 * The dispatcher's mechanics (claiming, retries, crash recovery, throughput) are exercised here without the
 * compliance gate and linter, which have their own tests (and a dispatch test of their own in test/dispatch-gate.test.ts).
 */
const allowEveryContact: SendGate = async (requests) => requests.map(() => ({ allowed: true }));
const acceptAnyText: ContentCheck = () => ({ ok: true });

const [databaseUrl, keyDir, target] = process.argv.slice(2) as [string, string, string];
const store = await openStore({ databaseUrl });
const real = target.startsWith('eml:')
  ? emlFileEmail(target.slice(4))
  : smtpEmail(target, { maxConnections: 1 });
const crashing: ChannelAdapter = {
  ...real,
  async send(m) {
    await real.send(m);
    process.kill(process.pid, 'SIGKILL');
    return new Promise(() => {});
  },
};
await dispatch({
  store,
  channels: { email: crashing },
  signer: await loadSigner(store, { keyDir }),
  gate: allowEveryContact,
  contentCheck: acceptAnyText,
  sender: SENDER,
  publicUrl: 'https://verify.riverside.example',
});
