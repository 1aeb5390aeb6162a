// Test support: the recorded Asterisk session (fixtures/session-queue-calls.txt) as the server sent it,
// and as the AMI peer replays it to a client that logged in with its own ActionIDs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/session-queue-calls.txt', import.meta.url));

/** Everything Asterisk sent, byte for byte, with the recording client's `>>> ` lines left out. */
export function fixtureServerStream(): string {
  return readFileSync(FIXTURE, 'utf8')
    .split('\r\n')
    .filter((line) => !line.startsWith('>>> '))
    .join('\r\n');
}

/**
 * What the peer sends after a successful Login: every event of the session in order, without the
 * banner and without the responses to actions the recording client sent (our client never sent them).
 */
export function fixtureEventsAfterLogin(): string {
  const blocks = fixtureServerStream()
    .split('\r\n\r\n')
    .map((block) => block.replace(/^(\r\n)+/, ''))
    .filter((block) => block.length > 0);
  const events = blocks.filter((block) => /^Event: /m.test(block));
  return events.map((block) => `${block}\r\n\r\n`).join('');
}
