// Test support: a center with a small seeded tenant, and a desktop-like socket.io client for it.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { SCHEMA_VERSION, type Ack, type LoginResponse, type Mutation } from '../../../shared/protocol';
import { generateDemoData, type DemoData } from '../demo/generate';
import { startCenter, type CenterOptions, type RunningCenter } from '../index';
import { seedDemo } from '../demo/seed';

/** A demo-shaped tenant, small enough to seed in a test; `id` and `seed` make a second, disjoint one. */
export function smallTenant(id = 'demo', seed = 1, customers = 30): DemoData {
  const data = generateDemoData({ seed, customers, now: new Date('2026-11-01T00:00:00Z') });
  return { ...data, tenant: { ...data.tenant, id } };
}

export interface TestCenter {
  center: RunningCenter;
  tenants: Record<string, DemoData>;
  stop(): Promise<void>;
}

/** Starts a center on `db` options and seeds the given tenants (default: 'demo' and 'acme'). */
export async function startTestCenter(db: Pick<CenterOptions, 'databaseUrl' | 'dataDir'>, tenants = [smallTenant('demo', 1), smallTenant('acme', 2)]) {
  const center = await startCenter({ ...db, port: 0, logLevel: 'silent' });
  for (const t of tenants) await seedDemo(center.db, { data: t, now: new Date('2026-11-01T00:00:00Z') });
  return { center, tenants: Object.fromEntries(tenants.map((t) => [t.tenant.id, t])), stop: () => center.stop() } satisfies TestCenter;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

export async function login(baseUrl: string, tenant: string, username: string, password = 'demo'): Promise<LoginResponse> {
  const r = await postJson(`${baseUrl}/api/login`, { tenant, username, password });
  if (r.status !== 200) throw new Error(`login ${tenant}/${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as LoginResponse;
}

/** Connects like a desktop; rejects with the server's connect_error. */
/** `listen` attaches listeners before the handshake, for what the center sends the moment a socket connects. */
export function connect(baseUrl: string, auth: Record<string, unknown>, listen?: (socket: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(baseUrl, { auth, transports: ['websocket'], reconnection: false, timeout: 10_000 });
    listen?.(socket);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

export interface Desktop {
  socket: Socket;
  user: LoginResponse['user'];
  token: string;
  clientId: string;
  /** Emits with ack (10 s timeout). */
  call<T = unknown>(event: string, payload: unknown): Promise<Ack<T>>;
  /** Builds mutations with consecutive seqs starting at `from`. */
  mutations(from: number, list: Array<{ name: string; args: unknown }>): Mutation[];
  close(): void;
}

export async function desktop(baseUrl: string, tenant: string, username: string, clientId: string = randomUUID(), listen?: (socket: Socket) => void): Promise<Desktop> {
  const session = await login(baseUrl, tenant, username);
  const socket = await connect(baseUrl, { token: session.token, schemaVersion: SCHEMA_VERSION, clientId }, listen);
  return {
    socket,
    user: session.user,
    token: session.token,
    clientId,
    call: <T>(event: string, payload: unknown) => socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>,
    mutations: (from, list) =>
      list.map((m, i) => ({ mutationId: randomUUID(), seq: from + i, name: m.name, args: m.args, schemaVersion: SCHEMA_VERSION, createdAt: new Date().toISOString() })),
    close: () => socket.close(),
  };
}

/** Unwraps an ok ack or fails the test with the error the center gave. */
export function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.value;
}

/** First phone identity of the n-th customer of a tenant. */
export function phoneOf(data: DemoData, n = 0): string {
  const phone = data.customers[n]?.customer.identities.find((i) => i.kind === 'phone')?.value;
  if (!phone) throw new Error(`customer ${n} has no phone`);
  return phone;
}
