// Child process for desktop-crash.test.ts: a desktop that types notes as fast as it can while
// syncing, printing each save the moment it returns, until the parent kills it with SIGKILL.
import { randomUUID } from 'node:crypto';
import { createDesktopServices } from '../../main/services/index';
import { FAST, testKeychain } from './desktop-harness';

const dataDir = process.env.EARSHOT_DATA_DIR;
const centerUrl = process.env.EARSHOT_CENTER_URL;
const customerId = process.env.EARSHOT_CUSTOMER_ID;
if (!dataDir || !centerUrl || !customerId) throw new Error('EARSHOT_DATA_DIR, EARSHOT_CENTER_URL and EARSHOT_CUSTOMER_ID must be set');

const services = createDesktopServices({ dataDir, centerUrl, vault: testKeychain() }, FAST);
await services.start();
const ids: string[] = [];
// Bounded: the parent kills us long before this ends.
for (let i = 0; i < 20_000; i++) {
  const revise = ids.length > 0 && i % 3 !== 0;
  const id = revise ? ids[i % ids.length]! : randomUUID();
  if (!revise) ids.push(id);
  const text = `crash test note, keystroke ${i}`;
  const saved = await services.handlers.saveNote({ id, customerId, interactionId: null, text });
  process.stdout.write(`${JSON.stringify({ id, revision: saved.revision, text })}\n`);
  await new Promise((r) => setTimeout(r, 2));
}
await services.stop();
