// Inbound email at 20 mails/s over real SMTP on 127.0.0.1: from the forwarding server starting a
// message to its `250` — which the receiver sends only after `onMail` has the parsed, classified,
// folded and sanitised `InboundMail` in hand. That is the receiver's share of issue #25's "inbound
// email → work item offered, p95 ≤ 1 s at 20 mails/s". Baseline: a bare smtp-server on the same
// schedule that only reads the message and answers 250 (no parsing).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { startEmailReceiver } from '../../server/src/channels/email/receiver';
import { percentile, type Benchmark, type BenchRow } from './harness';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/mail');
const SAMPLES = ['multipart-alternative.eml', 'gmail-reply.eml', 'outlook-reply.eml', 'html-scripts.eml', 'out-of-office.eml', 'dsn-bounce.eml'].map((f) =>
  readFileSync(path.join(FIXTURES, f)),
);
const RATE_PER_SECOND = 20;
const MAILS = 200;

/** Sends MAILS samples at RATE_PER_SECOND (pooled, 4 connections, like a forwarding MTA); sorted latencies in ms. */
async function drive(port: number): Promise<number[]> {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: 4, host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  const latencies: number[] = [];
  const sends: Promise<unknown>[] = [];
  const started = performance.now();
  for (let i = 0; i < MAILS; i++) {
    const wait = started + (i * 1000) / RATE_PER_SECOND - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    const raw = SAMPLES[i % SAMPLES.length]!;
    sends.push(transport.sendMail({ envelope: { from: 'mx@acme-shop.example', to: ['acme@mail.earshot.test'] }, raw }).then(() => latencies.push(performance.now() - t0)));
  }
  await Promise.all(sends);
  transport.close();
  return latencies.sort((a, b) => a - b);
}

function portOf(address: ReturnType<SMTPServer['server']['address']>): number {
  return typeof address === 'object' && address ? address.port : 0;
}

const bench: Benchmark = {
  name: 'email-intake',
  async run() {
    const bare = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((done) => bare.listen(0, '127.0.0.1', done));
    const baseline = await drive(portOf(bare.server.address()));
    await new Promise<void>((done) => bare.close(() => done()));

    let received = 0;
    const receiver = await startEmailReceiver({
      host: '127.0.0.1',
      port: 0,
      centerDomain: 'mail.earshot.test',
      onMail: async () => {
        received += 1;
        return { accepted: true };
      },
    });
    const measured = await drive(receiver.port);
    await receiver.close();
    if (received !== MAILS) throw new Error(`email-intake: ${received} of ${MAILS} mails reached onMail`);

    const rows: BenchRow[] = [];
    for (const p of [50, 95, 99]) {
      const value = percentile(measured, p);
      rows.push({
        figure: `SMTP → onMail → 250, ${RATE_PER_SECOND} mails/s, p${p}`,
        unit: 'ms',
        value,
        baseline: percentile(baseline, p),
        goal: p === 95 ? { text: '≤ 1000 ms (whole path to an offer)', met: value <= 1000 } : undefined,
      });
    }
    return rows;
  },
};
export default bench;
