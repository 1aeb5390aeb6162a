// Each queue's metric settings (service-level formula, its threshold T, the short-abandon threshold), its
// after-call work (wrap-up on or off, its limit) and the tenant's time zone, as stored in the center
// database (migrations 0006 and 0009): read when a tenant's floor
// opens, re-read every few seconds so an admin's `earshot-center queue set` reaches a running center,
// and changed through validated setters (the CLI). The one module of this folder that touches the
// database; it is handed the Db, and every query is scoped by tenant.
import type { Queryable } from '../db/db';
import { DEFAULT_WRAP_UP_SETTINGS, type QueueWrapUpSettings } from './model/agent-state';
import { startOfLocalDay } from './model/local-day';
import { DEFAULT_QUEUE_METRIC_SETTINGS, type QueueMetricSettings } from './model/metrics';
import { SERVICE_LEVEL_FORMULAS, type ServiceLevelFormula } from '../../../shared/protocol';

/** Bad input from an admin (unknown queue, formula or zone, a threshold out of range); the message says what to do. */
export class QueueSettingsError extends Error {}

/** Inclusive bounds, the same as the CHECK constraints of migrations 0006 and 0009. */
export const SL_THRESHOLD_SEC = { min: 1, max: 3600 } as const;
export const SHORT_ABANDON_SEC = { min: 0, max: 600 } as const;
export const WRAP_UP_LIMIT_SEC = { min: 0, max: 7200 } as const;
export const SETTINGS_REFRESH_MS = 5_000;

const FORMULAS = Object.keys(SERVICE_LEVEL_FORMULAS) as ServiceLevelFormula[];
const isFormula = (s: string): s is ServiceLevelFormula => (FORMULAS as string[]).includes(s);

export function isTimeZone(zone: string): boolean {
  try {
    startOfLocalDay(0, zone);
    return true;
  } catch {
    return false;
  }
}

/** Everything `queue set` changes on one queue: what the metrics engine and the agent state machine read. */
export type QueueSettings = QueueMetricSettings & QueueWrapUpSettings;
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { ...DEFAULT_QUEUE_METRIC_SETTINGS, ...DEFAULT_WRAP_UP_SETTINGS };

export interface TenantQueueSettings {
  timeZone: string;
  /** Every queue of the tenant, by id, with its settings. */
  queues: Map<string, QueueSettings>;
}

interface QueueRow {
  id: string;
  sl_formula: string;
  sl_threshold_sec: number;
  short_abandon_sec: number;
  wrap_up: boolean;
  wrap_up_limit_sec: number | null;
}

const QUEUE_COLUMNS = 'id, sl_formula, sl_threshold_sec, short_abandon_sec, wrap_up, wrap_up_limit_sec';

function settingsOfRow(r: QueueRow): QueueSettings {
  return {
    // The CHECK constraints keep these valid; a value from a newer build falls back to the default.
    serviceLevelFormula: isFormula(r.sl_formula) ? r.sl_formula : DEFAULT_QUEUE_METRIC_SETTINGS.serviceLevelFormula,
    serviceLevelThresholdSec: Number(r.sl_threshold_sec),
    shortAbandonSec: Number(r.short_abandon_sec),
    wrapUp: r.wrap_up,
    wrapUpLimitSec: r.wrap_up_limit_sec === null ? null : Number(r.wrap_up_limit_sec),
  };
}

/** What the database says for one tenant; null when the tenant does not exist. A zone Node does not know is refused. */
export async function readTenantQueueSettings(q: Queryable, tenantId: string): Promise<TenantQueueSettings | null> {
  const [tenant] = await q.query<{ time_zone: string }>('SELECT time_zone FROM tenants WHERE id = $1', [tenantId]);
  if (!tenant) return null;
  if (!isTimeZone(tenant.time_zone)) throw new QueueSettingsError(`Tenant ${tenantId} has time zone ${JSON.stringify(tenant.time_zone)}, which is not an IANA zone; fix it with tenant set-time-zone.`);
  const rows = await q.query<QueueRow>(
    `SELECT ${QUEUE_COLUMNS} FROM queues WHERE tenant_id = $1 ORDER BY id`,
    [tenantId],
  );
  const queues = new Map<string, QueueSettings>();
  for (const r of rows) queues.set(r.id, settingsOfRow(r));
  return { timeZone: tenant.time_zone, queues };
}

export interface QueueSettingsInput {
  /** One of the three formulas of DOMAIN.md, by name. */
  serviceLevelFormula?: string;
  /** Whole seconds, as a number or the text an admin typed. */
  serviceLevelThresholdSec?: number | string;
  shortAbandonSec?: number | string;
  /** `on` or `off`, or a boolean. */
  wrapUp?: boolean | string;
  /** Whole seconds, or `none` (or null) for a wrap-up that lasts until the agent ends it. */
  wrapUpLimitSec?: number | string | null;
}

function wholeSeconds(label: string, raw: number | string, range: { min: number; max: number }, orElse = ''): number {
  const n = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new QueueSettingsError(`${label} ${JSON.stringify(String(raw))} is not a whole number of seconds from ${range.min} to ${range.max}${orElse}.`);
  }
  return n;
}

function onOff(raw: boolean | string): boolean {
  if (typeof raw === 'boolean') return raw;
  const word = raw.trim().toLowerCase();
  if (word === 'on') return true;
  if (word === 'off') return false;
  throw new QueueSettingsError(
    `Wrap-up ${JSON.stringify(raw)} is neither on nor off; use on (agents do after-call work when a call ends) or off (they are available again at once).`,
  );
}

/** Validates a change without touching the database: what would be written. */
export function validateQueueSettings(input: QueueSettingsInput): Partial<QueueSettings> {
  const out: Partial<QueueSettings> = {};
  if (input.serviceLevelFormula !== undefined) {
    if (!isFormula(input.serviceLevelFormula)) {
      throw new QueueSettingsError(
        `Unknown service-level formula ${JSON.stringify(input.serviceLevelFormula)}; use one of: ${FORMULAS.map((f) => `${f} (${SERVICE_LEVEL_FORMULAS[f]})`).join(', ')}.`,
      );
    }
    out.serviceLevelFormula = input.serviceLevelFormula;
  }
  if (input.serviceLevelThresholdSec !== undefined) out.serviceLevelThresholdSec = wholeSeconds('The service-level threshold', input.serviceLevelThresholdSec, SL_THRESHOLD_SEC);
  if (input.shortAbandonSec !== undefined) out.shortAbandonSec = wholeSeconds('The short-abandon threshold', input.shortAbandonSec, SHORT_ABANDON_SEC);
  if (input.wrapUp !== undefined) out.wrapUp = onOff(input.wrapUp);
  if (input.wrapUpLimitSec !== undefined) {
    const raw = input.wrapUpLimitSec;
    out.wrapUpLimitSec =
      raw === null || (typeof raw === 'string' && raw.trim().toLowerCase() === 'none')
        ? null
        : wholeSeconds('The wrap-up limit', raw, WRAP_UP_LIMIT_SEC, ', or none for no limit');
  }
  return out;
}

/** Changes a queue's settings (only those given); returns all of them as now stored. */
export async function setQueueSettings(q: Queryable, tenantId: string, queueId: string, input: QueueSettingsInput): Promise<QueueSettings> {
  const v = validateQueueSettings(input);
  if (Object.keys(v).length === 0) {
    throw new QueueSettingsError('Nothing to change: give --sl-formula, --sl-seconds, --short-abandon-seconds, --wrap-up and/or --wrap-up-limit.');
  }
  // The limit can be set to NULL (no limit), so "not given" travels as its own flag rather than as NULL.
  const rows = await q.query<QueueRow>(
    `UPDATE queues SET sl_formula = COALESCE($3, sl_formula), sl_threshold_sec = COALESCE($4, sl_threshold_sec),
            short_abandon_sec = COALESCE($5, short_abandon_sec), wrap_up = COALESCE($6::boolean, wrap_up),
            wrap_up_limit_sec = CASE WHEN $7::boolean THEN $8::int ELSE wrap_up_limit_sec END, settings_updated_at = now()
      WHERE tenant_id = $1 AND id = $2
      RETURNING ${QUEUE_COLUMNS}`,
    [
      tenantId,
      queueId,
      v.serviceLevelFormula ?? null,
      v.serviceLevelThresholdSec ?? null,
      v.shortAbandonSec ?? null,
      v.wrapUp ?? null,
      v.wrapUpLimitSec !== undefined,
      v.wrapUpLimitSec ?? null,
    ],
  );
  const row = rows[0];
  if (!row) {
    if ((await q.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId])).length === 0) throw new QueueSettingsError(`No tenant ${tenantId}.`);
    const known = (await q.query<{ id: string }>('SELECT id FROM queues WHERE tenant_id = $1 ORDER BY id LIMIT 50', [tenantId])).map((r) => r.id);
    throw new QueueSettingsError(`Tenant ${tenantId} has no queue ${JSON.stringify(queueId)}; its queues: ${known.length > 0 ? known.join(', ') : '(none)'}.`);
  }
  return settingsOfRow(row);
}

/** Changes the zone whose midnight starts a tenant's "today". */
export async function setTenantTimeZone(q: Queryable, tenantId: string, timeZone: string): Promise<void> {
  if (!isTimeZone(timeZone)) throw new QueueSettingsError(`Time zone ${JSON.stringify(timeZone)} is not an IANA zone this Node knows; use one like Asia/Seoul or America/New_York.`);
  const rows = await q.query('UPDATE tenants SET time_zone = $2 WHERE id = $1 RETURNING id', [tenantId, timeZone]);
  if (rows.length === 0) throw new QueueSettingsError(`No tenant ${tenantId}.`);
}

/** The part of the metrics engine the live settings drive. */
export interface SettingsTarget {
  setTimeZone(timeZone: string): void;
  knowQueue(queue: string): void;
}

export interface LiveQueueSettingsOptions {
  /** Re-read at most this often. Default SETTINGS_REFRESH_MS. */
  everyMs?: number;
  /** Told when a re-read fails; the last settings stay in force. */
  onError?: (err: unknown) => void;
}

/**
 * One tenant's settings as a running floor uses them: `of` is the metrics engine's `settingsOf`, and
 * `refreshIfDue` (called from the floor's once-a-second tick) re-reads the database every few seconds and
 * applies a changed time zone or new queue to the engine. A failed re-read keeps the last good settings.
 */
export class LiveQueueSettings {
  private current: TenantQueueSettings;
  private readAt: number;
  private reading: Promise<void> | null = null;

  private constructor(
    private readonly q: Queryable,
    private readonly tenantId: string,
    first: TenantQueueSettings,
    at: number,
    private readonly opts: LiveQueueSettingsOptions,
  ) {
    this.current = first;
    this.readAt = at;
  }

  /** Reads the settings now. A tenant that does not exist (or a broken row) gets the defaults in UTC. */
  static async open(q: Queryable, tenantId: string, now: number, opts: LiveQueueSettingsOptions = {}): Promise<LiveQueueSettings> {
    let first: TenantQueueSettings = { timeZone: 'UTC', queues: new Map() };
    try {
      first = (await readTenantQueueSettings(q, tenantId)) ?? first;
    } catch (err) {
      if (!(err instanceof QueueSettingsError)) throw err;
      opts.onError?.(err);
    }
    return new LiveQueueSettings(q, tenantId, first, now, opts);
  }

  get timeZone(): string {
    return this.current.timeZone;
  }

  get queues(): string[] {
    return [...this.current.queues.keys()];
  }

  /** The settings of a queue (defaults for one the database does not list). */
  readonly of = (queue: string): QueueMetricSettings => this.current.queues.get(queue) ?? DEFAULT_QUEUE_SETTINGS;

  /** A queue's after-call work: the agent state machine's `queueSettings`, so a change reaches the next call end and tick. */
  readonly wrapUpOf = (queue: string): QueueWrapUpSettings => this.current.queues.get(queue) ?? DEFAULT_QUEUE_SETTINGS;

  /** Re-reads when `everyMs` has passed since the last read; resolves once applied (or failed and reported). */
  async refreshIfDue(now: number, target: SettingsTarget): Promise<void> {
    if (now - this.readAt < (this.opts.everyMs ?? SETTINGS_REFRESH_MS)) return;
    if (!this.reading) {
      this.readAt = now;
      this.reading = this.refresh(target).finally(() => {
        this.reading = null;
      });
    }
    await this.reading;
  }

  private async refresh(target: SettingsTarget): Promise<void> {
    try {
      const next = await readTenantQueueSettings(this.q, this.tenantId);
      if (!next) return;
      if (next.timeZone !== this.current.timeZone) target.setTimeZone(next.timeZone);
      for (const queue of next.queues.keys()) if (!this.current.queues.has(queue)) target.knowQueue(queue);
      this.current = next;
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
