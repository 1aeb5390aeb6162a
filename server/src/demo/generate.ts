// Builds the demo tenant's data (users, queues, customers, purchases, cross-channel history, notes, VOC)
// deterministically from a seed, so every demo center starts from the same believable contact center.
import {
  CHANNELS,
  CUSTOMER_WANTS,
  raisedVocItem,
  VOC_TYPES,
  toE164,
  type Channel,
  type Customer,
  type CustomerFlag,
  type Identity,
  type Interaction,
  type Note,
  type Queue,
  type Role,
  type VocItem,
  type VocPriority,
  type VocType,
} from '../../../shared/domain/index';
import { DEMO_STAFF_COUNT, DEMO_TOPICS } from './voc-setup';
import { createPrng, type Prng } from '../base/random';
import {
  AGENT_KOREAN_NAMES,
  EMAIL_DOMAINS,
  ENGLISH_FIRST_NAMES,
  ENGLISH_LAST_NAMES,
  FLAG_REASONS,
  KOREAN_GIVEN_NAMES,
  KOREAN_SURNAMES,
  NOTE_FOLLOW_UPS,
  NOTE_OPENINGS,
  QUEUE_DEFINITIONS,
  SEGMENTS,
  SUBJECTS,
  US_AREA_CODES,
  STAFF_KOREAN_NAMES,
  VOC_DESCRIPTIONS,
} from './vocabulary';

export interface DemoData {
  tenant: { id: string; name: string; timeZone: string };
  /** `takesCalls`: a supervisor who also takes calls (the demo's super1). */
  users: Array<{ username: string; displayName: string; role: Role; password: string; takesCalls?: boolean }>;
  queues: Queue[];
  customers: Array<{
    customer: Customer;
    externalId: string;
    purchases: Array<{ id: string; at: string; amount: number }>;
  }>;
  interactions: Interaction[];
  notes: Note[];
  vocItems: VocItem[];
}

export const DEMO_TENANT_ID = 'demo';
export const DEMO_PASSWORD = 'demo';
export const DEMO_AGENT_COUNT = 20;
/** The number customers dial (Seoul, 02-3456-7890); calls' DNIS and outbound calls' ANI. */
export const DEMO_CENTER_NUMBER = '+82234567890';

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 730;

const CHANNEL_WEIGHTS: ReadonlyArray<readonly [Channel, number]> = [
  ['call', 45], ['email', 15], ['chat', 12], ['sms', 8], ['web_board', 6], ['social', 6], ['visit', 4], ['mail', 4],
];
export const VOC_TYPE_WEIGHTS: ReadonlyArray<readonly [VocType, number]> = [
  ['inquiry', 35], ['complaint', 25], ['praise', 12], ['suggestion', 10], ['want_slip', 18],
];
export const VOC_PRIORITY_WEIGHTS: ReadonlyArray<readonly [VocPriority, number]> = [['normal', 80], ['high', 15], ['urgent', 5]];

/**
 * Same seed, same customer count and same `now` give identical data. `now` defaults to the
 * current UTC midnight so that every start on the same day seeds the same center.
 */
export function generateDemoData(opts: { seed?: number; customers?: number; now?: Date } = {}): DemoData {
  const rng = createPrng(opts.seed ?? 20_261_125);
  const customerCount = opts.customers ?? 5_000;
  const nowMs = opts.now?.getTime() ?? Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const nowIso = new Date(nowMs).toISOString();

  const agents = Array.from({ length: DEMO_AGENT_COUNT }, (_, i) => `agent${i + 1}`);
  const users: DemoData['users'] = [
    ...agents.map((username, i) => ({
      username,
      displayName: i % 2 === 0 ? `Agent ${i + 1}` : (AGENT_KOREAN_NAMES[i] ?? `Agent ${i + 1}`),
      role: 'agent' as const,
      password: DEMO_PASSWORD,
    })),
    { username: 'super1', displayName: 'Supervisor 1', role: 'supervisor', password: DEMO_PASSWORD, takesCalls: true },
    // Department staff who work the VOC desk (demo/voc-setup.ts puts them in departments).
    ...Array.from({ length: DEMO_STAFF_COUNT }, (_, i) => ({
      username: `staff${i + 1}`,
      displayName: i % 2 === 0 ? `Staff ${i + 1}` : (STAFF_KOREAN_NAMES[i] ?? `Staff ${i + 1}`),
      role: 'staff' as const,
      password: DEMO_PASSWORD,
    })),
    { username: 'admin', displayName: 'Administrator', role: 'admin', password: DEMO_PASSWORD },
  ];

  const queues: Queue[] = QUEUE_DEFINITIONS.map((q) => ({
    id: q.id,
    name: q.name,
    labels: { ko: q.ko },
    dispositionRequired: q.dispositionRequired,
    dispositionCodes: q.codes.map(([code, label, ko]) => ({ code, label, labels: { ko } })),
  }));

  const identities = new UniqueIdentities(rng);
  const customers: DemoData['customers'] = [];
  const interactions: Interaction[] = [];
  const notes: Note[] = [];
  const vocItems: VocItem[] = [];
  const counters = { interaction: 0, voc: 0 };

  for (let i = 0; i < customerCount; i++) {
    const person = makePerson(rng, identities, i);
    const flags = makeFlags(rng, nowMs);
    const customer: Customer = {
      id: rng.uuid(),
      displayName: person.displayName,
      language: person.language,
      segment: rng.chance(0.85) ? rng.pick(SEGMENTS) : null,
      identities: person.identities,
      consent: { phone: rng.chance(0.9), email: rng.chance(0.7), sms: rng.chance(0.6) },
      value: null,
      flags,
      provisional: false,
      updatedAt: nowIso,
      // Customers for one to eight years, spread without drawing from the generator (the rest of the data stays as it was).
      since: new Date(nowMs - (365 + ((i * 7919) % (7 * 365))) * DAY_MS).toISOString(),
    };
    const purchases = makePurchases(rng, nowMs, flags.some((f) => f.flag === 'vip'));
    customers.push({ customer, externalId: `CUST-${String(i + 1).padStart(6, '0')}`, purchases });

    const contactCount = rng.weighted<number>([[0, 4], [1, 10], [2, 14], [3, 16], [4, 16], [5, 14], [6, 10], [7, 7], [8, 5], [9, 4]]);
    for (let c = 0; c < contactCount; c++) {
      const interaction = makeInteraction(rng, customer, person.lang, agents, queues, nowMs, counters.interaction++);
      interactions.push(interaction);
      const author = interaction.agent ?? rng.pick(agents);
      const at = interaction.endedAt ?? interaction.startedAt;
      if (rng.chance(0.6)) notes.push(makeNote(rng, customer.id, interaction.id, author, person.lang, at, nowMs));
      // A contact often carries more than one matter (DOMAIN.md principle 3): sometimes two VOC items.
      const vocCount = counters.voc < VOC_TYPES.length ? 1 : rng.weighted<number>([[0, 78], [1, 17], [2, 5]]);
      for (let v = 0; v < vocCount; v++) {
        vocItems.push(makeVocItem(rng, customer.id, interaction.id, author, person.lang, at, counters.voc++));
      }
    }
  }

  return {
    tenant: { id: DEMO_TENANT_ID, name: 'Earshot Demo Contact Center', timeZone: 'Asia/Seoul' },
    users,
    queues,
    customers,
    interactions,
    notes,
    vocItems,
  };
}

/** Every phone identity of the demo customers (E.164): the callers the offer simulator rings in with. */
export function demoKnownNumbers(data: DemoData): string[] {
  return data.customers.flatMap(({ customer }) =>
    customer.identities.filter((id) => id.kind === 'phone').map((id) => id.value),
  );
}

/** Hands out phone numbers, emails and social handles that no other demo customer holds. */
class UniqueIdentities {
  private readonly taken = new Set<string>();
  constructor(private readonly rng: Prng) {}

  claim(candidate: () => string, fallback: (attempt: number) => string): string {
    for (let attempt = 0; attempt < 50; attempt++) {
      const value = attempt < 20 ? candidate() : fallback(attempt);
      if (!this.taken.has(value)) {
        this.taken.add(value);
        return value;
      }
    }
    throw new Error('Demo data ran out of unique identities; generate fewer customers.');
  }

  koreanMobile(): string {
    return this.claim(
      () => e164(`010-${this.digits(4)}-${this.digits(4)}`, 'KR'),
      () => e164(`010-${this.digits(4)}-${this.digits(4)}`, 'KR'),
    );
  }

  seoulLandline(): string {
    return this.claim(
      () => e164(`02-${this.rng.int(2000, 9999)}-${this.digits(4)}`, 'KR'),
      () => e164(`02-${this.rng.int(2000, 9999)}-${this.digits(4)}`, 'KR'),
    );
  }

  /** Prefers the fictional 555-01xx lines; once an area code's hundred are used, any valid exchange. */
  usNumber(): string {
    const area = (): number => this.rng.pick(US_AREA_CODES);
    return this.claim(
      () => e164(`(${area()}) 555-01${this.digits(2)}`, 'US'),
      () => e164(`(${area()}) ${this.rng.int(2, 9)}${this.rng.int(2, 9)}${this.rng.int(0, 9)}-${this.digits(4)}`, 'US'),
    );
  }

  email(local: string): string {
    const domain = this.rng.pick(EMAIL_DOMAINS);
    return this.claim(
      () => `${local}@${domain}`,
      (attempt) => `${local}${this.rng.int(1, 9999)}${attempt}@${domain}`,
    );
  }

  social(network: 'x' | 'instagram', handle: string): string {
    return this.claim(
      () => `${network}:@${handle}`,
      (attempt) => `${network}:@${handle}_${this.rng.int(10, 999)}${attempt}`,
    );
  }

  private digits(n: number): string {
    return String(this.rng.int(0, 10 ** n - 1)).padStart(n, '0');
  }
}

function e164(raw: string, country: 'KR' | 'US'): string {
  const value = toE164(raw, country);
  if (!value) throw new Error(`Demo data built an invalid phone number shape (${country}); fix the generator.`);
  return value;
}

interface Person {
  displayName: string;
  language: string;
  lang: 'ko' | 'en';
  identities: Identity[];
}

function makePerson(rng: Prng, ids: UniqueIdentities, index: number): Person {
  const korean = rng.chance(0.6);
  const identities: Identity[] = [];
  let displayName: string;
  let emailLocal: string;
  let handle: string;
  if (korean) {
    const [surname, surnameRoman] = rng.pick(KOREAN_SURNAMES);
    const [given, givenRoman] = rng.pick(KOREAN_GIVEN_NAMES);
    displayName = `${surname}${given}`;
    emailLocal = `${givenRoman}.${surnameRoman}`;
    handle = `${givenRoman}_${surnameRoman}`;
    identities.push({ kind: 'phone', value: ids.koreanMobile() });
    if (rng.chance(0.1)) identities.push({ kind: 'phone', value: ids.seoulLandline() });
  } else {
    const first = rng.pick(ENGLISH_FIRST_NAMES);
    const last = rng.pick(ENGLISH_LAST_NAMES);
    displayName = `${first} ${last}`;
    emailLocal = `${first}.${last}`.toLowerCase();
    handle = `${first}${last}`.toLowerCase();
    identities.push({ kind: 'phone', value: ids.usNumber() });
    if (rng.chance(0.05)) identities.push({ kind: 'phone', value: ids.usNumber() });
  }
  if (rng.chance(0.75)) identities.push({ kind: 'email', value: ids.email(`${emailLocal}${index % 97}`) });
  if (rng.chance(0.08)) identities.push({ kind: 'social', value: ids.social(rng.chance(0.5) ? 'x' : 'instagram', handle) });
  // A few Korean customers prefer English and vice versa.
  const lang = rng.chance(0.95) === korean ? 'ko' : 'en';
  return { displayName, language: lang, lang, identities };
}

function makeFlags(rng: Prng, nowMs: number): CustomerFlag[] {
  const flags: CustomerFlag[] = [];
  const setAt = (): string => new Date(nowMs - rng.int(1, 365) * DAY_MS).toISOString();
  for (const [flag, p] of [['vip', 0.03], ['churn_risk', 0.04], ['abusive', 0.01]] as const) {
    if (rng.chance(p)) flags.push({ flag, setBy: 'super1', reason: rng.pick(FLAG_REASONS[flag]), setAt: setAt() });
  }
  return flags;
}

function makePurchases(rng: Prng, nowMs: number, vip: boolean): DemoData['customers'][number]['purchases'] {
  const count = rng.chance(0.15) ? 0 : rng.int(1, vip ? 30 : 12);
  const purchases: DemoData['customers'][number]['purchases'] = [];
  for (let p = 0; p < count; p++) {
    // Amounts in won, rounded to 100 as Korean prices are.
    const amount = Math.round((vip ? rng.int(100_000, 2_000_000) : rng.int(9_900, 400_000)) / 100) * 100;
    const at = new Date(nowMs - rng.int(0, HISTORY_DAYS * 24 * 60) * 60_000).toISOString();
    purchases.push({ id: rng.uuid(), at, amount });
  }
  return purchases.sort((a, b) => a.at.localeCompare(b.at));
}

function makeInteraction(
  rng: Prng,
  customer: Customer,
  lang: 'ko' | 'en',
  agents: readonly string[],
  queues: readonly Queue[],
  nowMs: number,
  index: number,
): Interaction {
  // The first few interactions walk every channel so even a tiny data set shows each one.
  const channel = CHANNELS[index] ?? rng.weighted(CHANNEL_WEIGHTS);
  const outbound = channel === 'mail' || channel === 'sms' ? rng.chance(0.5) : rng.chance(0.12);
  const queue = channel === 'visit' ? null : rng.pick(queues);
  const startedMs = nowMs - rng.int(10, HISTORY_DAYS * 24 * 60) * 60_000;
  const phone = customer.identities.find((id) => id.kind === 'phone')?.value ?? null;
  const isCall = channel === 'call';
  const unanswered = isCall && !outbound && rng.chance(0.06);
  const answeredMs = isCall ? startedMs + rng.int(2, 90) * 1000 : startedMs;
  const endedMs = answeredMs + rng.int(60, 900) * 1000;
  const code = queue && !unanswered && (queue.dispositionRequired || rng.chance(0.8)) ? rng.pick(queue.dispositionCodes).code : null;
  return {
    id: rng.uuid(),
    customerId: customer.id,
    channel,
    direction: outbound ? 'outbound' : 'inbound',
    queue: queue?.id ?? null,
    agent: unanswered ? null : rng.pick(agents),
    startedAt: new Date(startedMs).toISOString(),
    answeredAt: unanswered ? null : new Date(answeredMs).toISOString(),
    endedAt: new Date(unanswered ? startedMs + rng.int(3, 60) * 1000 : endedMs).toISOString(),
    ani: isCall ? (outbound ? DEMO_CENTER_NUMBER : phone) : null,
    dnis: isCall ? (outbound ? phone : DEMO_CENTER_NUMBER) : null,
    disposition: code,
    subject: isCall ? null : rng.pick(SUBJECTS[lang]),
  };
}

/** An agent's jotting on a contact, in the customer's language: an opening and a follow-up. */
export const demoNoteText = (rng: Prng, lang: 'ko' | 'en'): string => `${rng.pick(NOTE_OPENINGS[lang])} ${rng.pick(NOTE_FOLLOW_UPS[lang])}`;

function makeNote(rng: Prng, customerId: string, interactionId: string, author: string, lang: 'ko' | 'en', at: string, nowMs: number): Note {
  const text = demoNoteText(rng, lang);
  const revision = rng.chance(0.15) ? 2 : 1;
  const createdMs = Date.parse(at);
  const updatedMs = revision === 1 ? createdMs : Math.min(nowMs, createdMs + rng.int(1, 30) * 60_000);
  return {
    id: rng.uuid(),
    customerId,
    interactionId,
    author,
    text,
    revision,
    createdAt: at,
    updatedAt: new Date(updatedMs).toISOString(),
  };
}

function makeVocItem(
  rng: Prng,
  customerId: string,
  interactionId: string,
  author: string,
  lang: 'ko' | 'en',
  at: string,
  index: number,
): VocItem {
  const type = VOC_TYPES[index] ?? rng.weighted(VOC_TYPE_WEIGHTS);
  const topic = rng.pick(DEMO_TOPICS);
  // One in twelve in the agent's own words, left for a supervisor to classify.
  const classified = !rng.chance(1 / 12);
  return raisedVocItem(
    {
      id: rng.uuid(),
      customerId,
      interactionId,
      type,
      topic: classified ? topic.label : topic.name.toLowerCase(),
      topicId: classified ? topic.id : null,
      description: rng.pick(VOC_DESCRIPTIONS[lang][type]),
      priority: rng.weighted(VOC_PRIORITY_WEIGHTS),
      safety: type === 'complaint' && rng.chance(0.03),
      wants: type === 'complaint' ? rng.pick(CUSTOMER_WANTS) : null,
    },
    author,
    at,
  );
}

