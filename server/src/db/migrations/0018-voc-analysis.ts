// Migration 0018: VOC analysis (VOC.md, steps 9 and 10) and the role `analyst` (read-only, for
// management).
//
// Rollups: `voc_rollup_days` (and `voc_rollup_months`, the same by month) holds, per local day raised (tenant time zone) × topic × type ×
// department × channel × queue × value tier, what the analysis view shows: counts raised, open,
// closed, withdrawn; each deadline met on time, met late, or missed while open; items answered (a
// result recorded, now or before a reopen), items reopened and reopens; happy-call answers; and the time from raised to customer told as a sum and a histogram of
// TOLD_BOUNDS_MINUTES buckets (median and p90 are read from it). Each item counts in the cell of its
// current classification and its current state: `voc_rollup_fact` says what one item adds, and
// statement triggers on voc_items add the new rows' facts and take away the old rows' in the same
// transaction, whatever statement changed them (the workflow, the deadline sweep, the push, the
// demo seed) — so the rollup can never drift from the items. Channel, queue and the customer's
// value tier are kept on the item as they were when it was raised (the day too, in the tenant's time
// zone then), so a later value recompute does not move old items between tiers.
//
// Improvements: what a department will change because customers told us, linked to many items of
// the same tenant (the foreign keys carry the tenant, so another tenant's item cannot be linked).

/** Upper bounds (minutes, exclusive) of the raised → told histogram's buckets; the last bucket is open. */
export const TOLD_BOUNDS_MINUTES = [30, 60, 120, 240, 480, 720, 1440, 2160, 2880, 4320, 5760, 7200, 10080, 14400, 20160, 30240, 43200, 64800, 86400] as const;
export const TOLD_BUCKETS = TOLD_BOUNDS_MINUTES.length + 1;
const hist = Array.from({ length: TOLD_BUCKETS }, (_, i) => `h${String(i).padStart(2, '0')}`);

/** The rollup's key, and its counts (all summed). */
export const ROLLUP_KEY = ['tenant_id', 'day', 'topic_id', 'type', 'department_id', 'channel', 'queue', 'tier'] as const;
export const ROLLUP_COUNTS = [
  'raised',
  'open',
  'closed',
  'withdrawn',
  'ack_on_time',
  'ack_late',
  'ack_missed',
  'resolve_on_time',
  'resolve_late',
  'resolve_missed',
  'notify_on_time',
  'notify_late',
  'notify_missed',
  'answered',
  'reopened',
  'reopens',
  'happy_satisfied',
  'happy_answered',
  'told',
  'told_minutes',
  ...hist,
] as const;

const key = ROLLUP_KEY.join(', ');

/** The item columns a fact is made of (voc_rollup_fact's arguments, in order, with their types). */
const FACT_ARGS = [
  ['tenant_id', 'text'],
  ['raised_day', 'date'],
  ['topic_id', 'text'],
  ['type', 'text'],
  ['department_id', 'text'],
  ['channel', 'text'],
  ['queue', 'text'],
  ['value_tier', 'text'],
  ['status', 'text'],
  ['created_at', 'timestamptz'],
  ['acknowledged_at', 'timestamptz'],
  ['acknowledge_due', 'timestamptz'],
  ['acknowledge_overdue', 'boolean'],
  ['resolved_at', 'timestamptz'],
  ['resolve_due', 'timestamptz'],
  ['resolve_overdue', 'boolean'],
  ['notified_at', 'timestamptz'],
  ['notify_due', 'timestamptz'],
  ['notify_overdue', 'boolean'],
  ['reopens', 'int'],
  ['follow_up_outcome', 'text'],
] as const;
/** voc_rollup_fact over the row aliased `alias`. */
export const factOf = (alias: string) => `voc_rollup_fact(${FACT_ARGS.map(([c]) => `${alias}.${c}`).join(', ')})`;
const sums = (sign: string) => ROLLUP_COUNTS.map((c) => `sum(${sign}f.${c}) AS ${c}`).join(',\n      ');

/** One deadline's three outcomes: met on time, met late, missed (passed, not met). */
const deadline = (k: string, met: string, due: string, overdue: string) => `
    (i_${met} IS NOT NULL AND NOT i_${overdue} AND (i_${due} IS NULL OR i_${met} <= i_${due}))::int AS ${k}_on_time,
    (i_${met} IS NOT NULL AND (i_${overdue} OR i_${met} > i_${due}) IS TRUE)::int AS ${k}_late,
    (i_${met} IS NULL AND i_${overdue})::int AS ${k}_missed,`;

/** Adds (sign 1) or takes away (-1) the facts of a set of item rows, cell by cell, to the days and the months; cells with no change are not touched. */
const applyFacts = (from: string) => `
    WITH delta AS (
      SELECT ${ROLLUP_KEY.map((k) => `f.${k}`).join(', ')}, ${sums('d.s * ')}
        FROM (${from}) d, LATERAL ${factOf('d')} f
       GROUP BY ${ROLLUP_KEY.map((k) => `f.${k}`).join(', ')}
      HAVING ${ROLLUP_COUNTS.map((c) => `sum(d.s * f.${c}) <> 0`).join(' OR ')}
    ), days AS (${upsert('voc_rollup_days', 'day', 'delta')})
    ${upsert('voc_rollup_months', "date_trunc('month', day)::date", 'delta')};`;

/** Adds grouped rows of `from` into `table`, its date column computed by `dayExpr`, in key order (no deadlock between two writers). */
const upsert = (table: string, dayExpr: string, from: string) => `
    INSERT INTO ${table} AS r (${key}, ${ROLLUP_COUNTS.join(', ')})
    SELECT ${ROLLUP_KEY.map((k) => (k === 'day' ? `${dayExpr} AS day` : k)).join(', ')}, ${ROLLUP_COUNTS.map((c) => `sum(${c})`).join(', ')}
      FROM ${from} GROUP BY ${ROLLUP_KEY.map((k) => (k === 'day' ? dayExpr : k)).join(', ')}
     ORDER BY ${ROLLUP_KEY.map((k) => (k === 'day' ? dayExpr : k)).join(', ')}
    ON CONFLICT (${key}) DO UPDATE SET ${ROLLUP_COUNTS.map((c) => `${c} = r.${c} + EXCLUDED.${c}`).join(', ')}`;

const cols = (alias: string) => FACT_ARGS.map(([c]) => `${alias}.${c}`).join(', ');

const trigger = (name: string, body: string) => `
CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  ${body}
  RETURN NULL;
END
$fn$;`;

export const sql = /* sql */ `
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('agent', 'supervisor', 'admin', 'staff', 'analyst'));

-- What the item was raised on and by whom, as it was then; and how often it was reopened.
ALTER TABLE voc_items
  ADD COLUMN raised_day  date,
  ADD COLUMN channel     text,
  ADD COLUMN queue       text,
  ADD COLUMN value_tier  text,
  ADD COLUMN reopens     int NOT NULL DEFAULT 0;

CREATE FUNCTION voc_items_snapshot() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.raised_day IS NULL THEN
    NEW.raised_day := (NEW.created_at AT TIME ZONE COALESCE((SELECT time_zone FROM tenants WHERE id = NEW.tenant_id), 'UTC'))::date;
  END IF;
  IF NEW.interaction_id IS NOT NULL AND (NEW.channel IS NULL OR NEW.queue IS NULL) THEN
    SELECT COALESCE(NEW.channel, i.channel), COALESCE(NEW.queue, i.queue) INTO NEW.channel, NEW.queue
      FROM interactions i WHERE i.id = NEW.interaction_id;
  END IF;
  IF NEW.value_tier IS NULL THEN
    NEW.value_tier := (SELECT c.value->>'tier' FROM customers c WHERE c.id = NEW.customer_id);
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER voc_items_snapshot BEFORE INSERT ON voc_items FOR EACH ROW EXECUTE FUNCTION voc_items_snapshot();

UPDATE voc_items v SET raised_day = (v.created_at AT TIME ZONE t.time_zone)::date FROM tenants t WHERE t.id = v.tenant_id;
UPDATE voc_items v SET channel = i.channel, queue = i.queue FROM interactions i WHERE i.id = v.interaction_id;
UPDATE voc_items v SET value_tier = c.value->>'tier' FROM customers c WHERE c.id = v.customer_id;
UPDATE voc_items v SET reopens = h.n FROM (SELECT voc_id, count(*)::int AS n FROM voc_history WHERE to_status = 'reopened' AND from_status IS DISTINCT FROM 'reopened' GROUP BY voc_id) h WHERE h.voc_id = v.id;
ALTER TABLE voc_items ALTER COLUMN raised_day SET NOT NULL;

-- A cell's items, newest first (the drill-down's pages), and a period's items (the plain GROUP BY).
CREATE INDEX voc_items_cell ON voc_items (tenant_id, topic_id, type, created_at DESC, id);
CREATE INDEX voc_items_raised ON voc_items (tenant_id, raised_day);

CREATE TABLE voc_rollup_days (
  tenant_id      text NOT NULL,
  day            date NOT NULL,
  -- '' stands for none: unclassified, no department, no contact, no queue, no tier
  topic_id       text NOT NULL,
  type           text NOT NULL,
  department_id  text NOT NULL,
  channel        text NOT NULL,
  queue          text NOT NULL,
  tier           text NOT NULL,
${ROLLUP_COUNTS.map((c) => `  ${c} ${c === 'told_minutes' ? 'double precision' : 'int'} NOT NULL DEFAULT 0,`).join('\n')}
  PRIMARY KEY (${key})
);

-- The same by month (day: the month's first day): a long period reads its whole months here, its
-- partial months from the days.
CREATE TABLE voc_rollup_months (LIKE voc_rollup_days INCLUDING ALL);

-- What one item adds to its cell.
CREATE FUNCTION voc_rollup_fact(${FACT_ARGS.map(([c, t]) => `i_${c} ${t}`).join(', ')}) RETURNS TABLE (
  tenant_id text, day date, topic_id text, type text, department_id text, channel text, queue text, tier text,
${ROLLUP_COUNTS.map((c) => `  ${c} ${c === 'told_minutes' ? 'double precision' : 'int'}`).join(',\n')}
) LANGUAGE sql IMMUTABLE AS $fn$
  SELECT i_tenant_id, i_raised_day, COALESCE(i_topic_id, ''), i_type, COALESCE(i_department_id, ''), COALESCE(i_channel, ''), COALESCE(i_queue, ''), COALESCE(i_value_tier, ''),
    1,
    (i_status NOT IN ('closed', 'withdrawn'))::int,
    (i_status = 'closed')::int,
    (i_status = 'withdrawn')::int,${deadline('ack', 'acknowledged_at', 'acknowledge_due', 'acknowledge_overdue')}${deadline('resolve', 'resolved_at', 'resolve_due', 'resolve_overdue')}${deadline('notify', 'notified_at', 'notify_due', 'notify_overdue')}
    (i_resolved_at IS NOT NULL OR i_reopens > 0)::int,
    (i_reopens > 0)::int,
    i_reopens,
    (i_follow_up_outcome = 'satisfied' IS TRUE)::int,
    (i_follow_up_outcome IN ('satisfied', 'dissatisfied') IS TRUE)::int,
    (i_notified_at IS NOT NULL)::int,
    COALESCE(extract(epoch FROM i_notified_at - i_created_at) / 60, 0)::double precision,
${hist.map((_, i) => `    (i_notified_at IS NOT NULL AND width_bucket(extract(epoch FROM i_notified_at - i_created_at) / 60, ARRAY[${TOLD_BOUNDS_MINUTES.join(', ')}]::numeric[]) = ${i})::int`).join(',\n')}
$fn$;
${trigger('voc_rollup_inserted', applyFacts(`SELECT 1 AS s, ${cols('n')} FROM new_rows n`))}
${trigger('voc_rollup_updated', applyFacts(`SELECT 1 AS s, ${cols('n')} FROM new_rows n UNION ALL SELECT -1, ${cols('o')} FROM old_rows o`))}
${trigger('voc_rollup_deleted', applyFacts(`SELECT -1 AS s, ${cols('o')} FROM old_rows o`))}
CREATE TRIGGER voc_rollup_inserted AFTER INSERT ON voc_items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION voc_rollup_inserted();
CREATE TRIGGER voc_rollup_updated AFTER UPDATE ON voc_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION voc_rollup_updated();
CREATE TRIGGER voc_rollup_deleted AFTER DELETE ON voc_items REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION voc_rollup_deleted();
-- Even where a bulk load turns user triggers off (session_replication_role = replica, as the PGlite
-- demo seed does): the rollup must never miss a change.
ALTER TABLE voc_items ENABLE ALWAYS TRIGGER voc_items_snapshot;
ALTER TABLE voc_items ENABLE ALWAYS TRIGGER voc_rollup_inserted;
ALTER TABLE voc_items ENABLE ALWAYS TRIGGER voc_rollup_updated;
ALTER TABLE voc_items ENABLE ALWAYS TRIGGER voc_rollup_deleted;

INSERT INTO voc_rollup_days (${key}, ${ROLLUP_COUNTS.join(', ')})
SELECT ${ROLLUP_KEY.map((k) => `f.${k}`).join(', ')}, ${sums('')}
  FROM voc_items v, LATERAL ${factOf('v')} f
 GROUP BY ${ROLLUP_KEY.map((k) => `f.${k}`).join(', ')};
${upsert('voc_rollup_months', "date_trunc('month', day)::date", 'voc_rollup_days')};

-- Step 10: what a department will change because customers told us.
CREATE TABLE voc_improvements (
  id                 uuid PRIMARY KEY,
  tenant_id          text NOT NULL REFERENCES tenants(id),
  title              text NOT NULL,
  change             text NOT NULL,
  department_id      text NOT NULL,
  -- the topic it answers (the analysis view lists open improvements per topic)
  topic_id           text,
  target_date        date,
  status             text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'in_progress', 'done', 'declined')),
  declined_reason    text,
  created_by_user_id uuid REFERENCES users(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  done_at            timestamptz,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id),
  FOREIGN KEY (tenant_id, topic_id) REFERENCES voc_topics (tenant_id, id)
);
CREATE INDEX voc_improvements_department ON voc_improvements (tenant_id, department_id, status);
CREATE INDEX voc_improvements_topic ON voc_improvements (tenant_id, topic_id, status);

ALTER TABLE voc_items ADD CONSTRAINT voc_items_tenant_id_key UNIQUE (tenant_id, id);
CREATE TABLE voc_improvement_items (
  tenant_id       text NOT NULL,
  improvement_id  uuid NOT NULL,
  voc_id          uuid NOT NULL,
  -- when the customer was told what changed (a follow-up call, or recorded SMS/email)
  told_at         timestamptz,
  told_via        text,
  PRIMARY KEY (improvement_id, voc_id),
  FOREIGN KEY (tenant_id, improvement_id) REFERENCES voc_improvements (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, voc_id) REFERENCES voc_items (tenant_id, id)
);
CREATE INDEX voc_improvement_items_item ON voc_improvement_items (voc_id);
`;
