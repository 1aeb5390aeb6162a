// Issue 25: inbound email → work item offered, at 20 mails/s. A center in the bench process (on a
// throw-away PostgreSQL; BENCH_CHANNELS_PGLITE=1 for in-memory PGlite) with its SMTP receiver on
// 127.0.0.1 and 5 agents (email capacity 50 each, so no offer waits for capacity) signed in over
// socket.io as the desktop is. A pooled nodemailer client (4 connections, like a forwarding MTA) sends
// 200 mails on a fixed schedule; one in ten is a bounce or an out-of-office with no open conversation
// (tests/fixtures/mail), which must never become work: they are left out of the latencies, and the run
// fails if one is offered. Measured: from the client starting a mail to an agent's socket receiving
// `conversation:offered` for it (matched by subject). Baseline, same mails and schedule: a bare
// smtp-server that reads the message and answers 250 (as email-intake's), from starting a mail to its 250.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { SMTPServer } from 'smtp-server';
import type { Socket } from 'socket.io-client';
import { EVENTS, type ConversationOffered } from '../../shared/protocol/index';
import { mailOf } from '../../server/src/index';
import { dbSummary, watchDb } from './center-floor-load.bench';
import { percentile, type Benchmark, type BenchRow } from './harness';
import { benchDatabase, connectAgents, machineLoad, paced, setUpChannelTenant, startBenchCenter, until } from './channels-support';

const RATE = Number(process.env.BENCH_EMAIL_RATE ?? 20);
const MAILS = Number(process.env.BENCH_EMAIL_MAILS ?? 200);
const AGENTS = 5;
const CAPACITY = 50;
const TENANT = 'mailbench';
const DOMAIN = 'mail.earshot.test';
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/mail');
/** Never work: a delivery failure report, and an out-of-office whose thread is not open here. */
const NOT_WORK = ['dsn-bounce.eml', 'out-of-office.eml'].map((f) => readFileSync(path.join(FIXTURES, f)));

type BenchMail = { work: true; subject: string; message: Mail.Options } | { work: false; raw: Buffer };

/** The i-th mail of the run: every tenth is a bounce or an out-of-office, the rest a customer's new mail. */
function mailAt(i: number, runTag: string): BenchMail {
  if (i % 10 === 9) return { work: false, raw: NOT_WORK[Math.floor(i / 10) % NOT_WORK.length]! };
  const subject = `Order ${runTag}-${i} has not arrived`;
  const text = `Hello,\n\nI ordered a kettle two weeks ago (order ${runTag}-${i}) and it has not arrived yet. Could you check where it is?\n\nThank you,\nCustomer ${i}\n`;
  return {
    work: true,
    subject,
    message: {
      from: `Customer ${i} <customer${i}@shop-customer.example>`,
      to: 'support@mailbench.example',
      subject,
      text,
      html: `<p>${text.replace(/\n\n/g, '</p><p>').replace(/\n/g, '<br>')}</p>`,
      messageId: `<${runTag}.${i}@shop-customer.example>`,
    },
  };
}

/** Sends MAILS mails at RATE through a pooled client; `sentAt` by subject for the work mails; sorted SMTP 250 latencies. */
async function drive(port: number, runTag: string, sentAt: Map<string, number>): Promise<number[]> {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: 4, host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  const envelope = { from: 'mx@mailbench.example', to: [`${TENANT}@${DOMAIN}`] };
  const accepted: number[] = [];
  const sends: Array<Promise<unknown>> = [];
  try {
    await paced(MAILS, RATE, (i) => {
      const mail = mailAt(i, runTag);
      const t0 = performance.now();
      if (mail.work) sentAt.set(mail.subject, t0);
      sends.push(transport.sendMail(mail.work ? { ...mail.message, envelope } : { envelope, raw: mail.raw }).then(() => accepted.push(performance.now() - t0)));
    });
    await Promise.all(sends);
  } finally {
    transport.close();
  }
  return accepted.sort((a, b) => a - b);
}

const workMails = Array.from({ length: MAILS }, (_, i) => i).filter((i) => i % 10 !== 9).length;

async function baselinePhase(runTag: string): Promise<number[]> {
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
  try {
    return await drive((bare.server.address() as { port: number }).port, runTag, new Map());
  } finally {
    await new Promise<void>((done) => bare.close(() => done()));
  }
}

async function centerPhase(runTag: string) {
  const database = await benchDatabase('email-offer');
  const center = await startBenchCenter(database.options, { mail: { port: 0, domain: DOMAIN } });
  const sockets: Socket[] = [];
  try {
    const agents = await setUpChannelTenant(center.db, { tenant: TENANT, channel: 'email', agents: AGENTS, capacity: CAPACITY });
    const sentAt = new Map<string, number>();
    const offeredMs: number[] = [];
    const strays: string[] = [];
    sockets.push(
      ...(await connectAgents(center, TENANT, agents, (s) =>
        s.on(EVENTS.conversationOffered, (o: ConversationOffered) => {
          const t = sentAt.get(o.conversation.subject ?? '');
          if (t === undefined) return void strays.push(o.conversation.subject ?? '(no subject)');
          sentAt.delete(o.conversation.subject ?? '');
          offeredMs.push(performance.now() - t);
        }),
      )),
    );
    const stats = watchDb(center.db);
    const smtpMs = await drive(mailOf(center)!.receiver.port, runTag, sentAt);
    await until(() => offeredMs.length >= workMails, 60_000, () => `${offeredMs.length} of ${workMails} customer mails offered`);
    // The bounces and out-of-offices had their 250 long before: a late offer of one would show by now.
    await new Promise((r) => setTimeout(r, 1000));
    const db = stats.take();
    const [stored] = await center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE tenant_id = $1`, [TENANT]);
    return { offeredMs: offeredMs.sort((a, b) => a - b), smtpMs, strays, db, conversations: stored!.n, driver: database.driver };
  } finally {
    for (const s of sockets) s.close();
    await center.stop();
    await database.stop();
  }
}

const bench: Benchmark = {
  name: 'email-offer',
  async run(): Promise<BenchRow[]> {
    const loadBefore = machineLoad();
    const runTag = randomUUID().slice(0, 8);
    const base = await baselinePhase(runTag);
    const center = await centerPhase(runTag);
    const loadAfter = machineLoad();
    process.stderr.write(
      `\n  email-offer: ${MAILS} mails at ${RATE}/s (${workMails} customer mails, ${MAILS - workMails} bounces/out-of-offices), ${AGENTS} agents × email capacity ${CAPACITY}, ${center.driver}; ` +
        `machine load before ${loadBefore}, after ${loadAfter}\n` +
        `  offered ${center.offeredMs.length} of ${workMails}; conversations stored ${center.conversations}; offers not of a customer mail: ${center.strays.length}\n` +
        dbSummary(center.db),
    );
    if (center.strays.length > 0 || center.conversations !== workMails) {
      throw new Error(`email-offer: a bounce or out-of-office became work (offered: ${JSON.stringify(center.strays.slice(0, 3))}; ${center.conversations} conversations for ${workMails} customer mails)`);
    }
    const scale = `${RATE} mails/s, 1 in 10 a bounce/auto-reply (not offered, not counted), ${center.driver}; load ${loadAfter.split(' (')[0]}`;
    const rows: BenchRow[] = [];
    for (const p of [50, 95, 99]) {
      const value = percentile(center.offeredMs, p);
      rows.push({
        figure: `SMTP mail → agent's conversation:offered p${p} [${scale}] (baseline: bare smtp-server 250)`,
        unit: 'ms',
        value,
        baseline: percentile(base, p),
        goal: p === 95 ? { text: 'p95 ≤ 1000 ms', met: value <= 1000 } : undefined,
      });
    }
    rows.push({ figure: `SMTP mail → the center's 250 p95 (baseline: bare smtp-server 250)`, unit: 'ms', value: percentile(center.smtpMs, 95), baseline: percentile(base, 95) });
    return rows;
  },
};
export default bench;
