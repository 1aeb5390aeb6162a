// The VOC loop's setup from the command line (the admin API's twin, server/src/voc/http.ts): the
// topic catalogue and holidays from CSV files, departments, routing rules (JSON), SLA targets (CSV),
// working hours and settings. Each refuses a setup with a problem, says which, and changes nothing.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { VOC_TYPES, type VocType } from '../../../shared/domain';
import { changeTx } from '../sync/change-log';
import {
  describeVocSetup,
  holidaysFromCsv,
  setDepartment,
  setHolidays,
  setRouting,
  setSlaTargets,
  setTopics,
  setVocSettings,
  setWorkingHours,
  slaFromCsv,
  topicsFromCsv,
  VocSetupError,
} from '../voc/admin';
import { rebuildRollups } from '../voc/rollups';
import { need, UsageError, withDb, type CliIo, type Command, type Options } from './common';

const list = (raw: string | undefined) => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** A refused setup is said plainly, exit code 1. */
async function refusing(io: CliIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof VocSetupError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 1;
  }
}

function onOff(raw: string | undefined, flag: string): boolean | undefined {
  if (raw === undefined) return undefined;
  if (/^(on|yes|true)$/i.test(raw)) return true;
  if (/^(off|no|false)$/i.test(raw)) return false;
  throw new UsageError(`--${flag} is on or off, not "${raw}".`);
}

/** "1-5" or "1,2,3,4,5" (0 = Sunday … 6 = Saturday). */
function weekdays(raw: string): number[] {
  const m = /^(\d)-(\d)$/.exec(raw);
  const days = m ? Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i) : list(raw).map(Number);
  if (days.length === 0 || !days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) throw new UsageError(`--days "${raw}" is weekdays 0 (Sunday) to 6 (Saturday), e.g. 1-5.`);
  return days;
}

const withTenant = (o: Options) => need(o.tenant, 'tenant');

export const vocCommands: Record<string, Command> = {
  'voc show': {
    usage: 'earshot-center voc show --tenant T   (prints the VOC setup as JSON)\n',
    async run(o, _args, io) {
      const t = withTenant(o);
      io.stdout.write(`${JSON.stringify(await withDb(o['data-dir'], (db) => describeVocSetup(db, t)), null, 2)}\n`);
      return 0;
    },
  },
  'voc topics': {
    usage: 'earshot-center voc topics import FILE.csv --tenant T   (id,name[,active][,name.ko …]; ids "billing" and "billing/double-charge"; name.<language>: the name in that language)\n',
    run: (o, args, io) =>
      refusing(io, async () => {
        if (args[0] !== 'import') throw new UsageError('Say "voc topics import FILE.csv".');
        const file = need(args[1], 'FILE.csv (after "voc topics import")');
        const t = withTenant(o);
        const topics = await topicsFromCsv(createReadStream(file));
        await withDb(o['data-dir'], (db) => changeTx(db, t, (tx) => setTopics(tx, topics)));
        io.stdout.write(`${topics.length} topic(s) set in the catalogue of ${t}.\n`);
        return 0;
      }),
  },
  'voc department': {
    usage: 'earshot-center voc department set --tenant T --id billing --name NAME --members u1,u2 [--lead u1] [--approval on|off] [--assignment round_robin|lead] [--lang ko --label NAME_IN_KO]\n',
    run: (o, args, io) =>
      refusing(io, async () => {
        if (args[0] !== 'set') throw new UsageError('Say "voc department set …".');
        const t = withTenant(o);
        const assignment = o.assignment ?? 'round_robin';
        if (assignment !== 'round_robin' && assignment !== 'lead') throw new UsageError('--assignment is round_robin or lead.');
        const dept = await withDb(o['data-dir'], (db) =>
          changeTx(db, t, (tx) =>
            setDepartment(tx, {
              id: need(o.id, 'id'),
              name: need(o.name, 'name'),
              ...(o.lang || o.label ? { labels: { [need(o.lang, 'lang')]: need(o.label, 'label') } } : {}),
              members: list(o.members),
              lead: o.lead ?? null,
              requiresApproval: onOff(o.approval, 'approval') ?? false,
              assignment,
            }),
          ),
        );
        io.stdout.write(`Department ${dept.value.id} (${dept.value.name}): ${dept.value.members.length} member(s).\n`);
        return 0;
      }),
  },
  'voc routing': {
    usage: 'earshot-center voc routing set FILE.json --tenant T   ({"rules":[{"type":"complaint","topicPrefix":"billing","priority":null,"department":"billing"}],"default":"cs"})\n',
    run: (o, args, io) =>
      refusing(io, async () => {
        if (args[0] !== 'set') throw new UsageError('Say "voc routing set FILE.json".');
        const t = withTenant(o);
        let body: { rules?: unknown; default?: unknown };
        try {
          body = JSON.parse(await readFile(need(args[1], 'FILE.json (after "voc routing set")'), 'utf8')) as typeof body;
        } catch (err) {
          throw new VocSetupError(`The routing file is not readable JSON: ${(err as Error).message.slice(0, 200)}`);
        }
        if (!Array.isArray(body.rules)) throw new VocSetupError('The routing file needs "rules": [ … ] (and "default": a department id or null).');
        const def = typeof body.default === 'string' ? body.default : null;
        await withDb(o['data-dir'], (db) => changeTx(db, t, (tx) => setRouting(tx, body.rules as never[], def)));
        io.stdout.write(`${body.rules.length} routing rule(s) set for ${t}; default department ${def ?? 'none'}.\n`);
        return 0;
      }),
  },
  'voc sla': {
    usage: 'earshot-center voc sla import FILE.csv --tenant T   (type,priority,acknowledge,resolve,notify in working minutes; every type × priority)\n',
    run: (o, args, io) =>
      refusing(io, async () => {
        if (args[0] !== 'import') throw new UsageError('Say "voc sla import FILE.csv".');
        const t = withTenant(o);
        const targets = await slaFromCsv(createReadStream(need(args[1], 'FILE.csv (after "voc sla import")')));
        await withDb(o['data-dir'], (db) => changeTx(db, t, (tx) => setSlaTargets(tx, targets)));
        io.stdout.write(`${targets.length} SLA target(s) set for ${t}.\n`);
        return 0;
      }),
  },
  'voc hours': {
    usage: 'earshot-center voc hours set --tenant T --days 1-5 --opens 09:00 --closes 18:00   (0 = Sunday … 6 = Saturday)\n',
    run: (o, args, io) =>
      refusing(io, async () => {
        if (args[0] !== 'set') throw new UsageError('Say "voc hours set …".');
        const t = withTenant(o);
        const days = weekdays(need(o.days, 'days'));
        const [opens, closes] = [need(o.opens, 'opens'), need(o.closes, 'closes')];
        await withDb(o['data-dir'], (db) => db.tx((q) => setWorkingHours(q, t, days.map((weekday) => ({ weekday, opens, closes })))));
        io.stdout.write(`Working hours of ${t}: days ${days.join(',')}, ${opens}–${closes} in the tenant's time zone.\n`);
        return 0;
      }),
  },
  'voc holidays': {
    usage: 'earshot-center voc holidays import FILE.csv --tenant T [--replace]   (date,name; YYYY-MM-DD)\n',
    run: (o, args, io) =>
      refusing(io, async () => {
        if (args[0] !== 'import') throw new UsageError('Say "voc holidays import FILE.csv".');
        const t = withTenant(o);
        const days = await holidaysFromCsv(createReadStream(need(args[1], 'FILE.csv (after "voc holidays import")')));
        await withDb(o['data-dir'], (db) => db.tx((q) => setHolidays(q, t, days, o.replace ?? false)));
        io.stdout.write(`${days.length} holiday(s) ${o.replace ? 'now make up' : 'added to'} the calendar of ${t}.\n`);
        return 0;
      }),
  },
  'voc settings': {
    usage:
      'earshot-center voc settings --tenant T [--happy-call-types complaint,suggestion] [--happy-call-after MINUTES|next-day] [--follow-up-attempts N] [--follow-up-retry MINUTES] [--place-call-url URL|none]\n',
    run: (o, _args, io) =>
      refusing(io, async () => {
        const t = withTenant(o);
        const types = o['happy-call-types'] !== undefined ? list(o['happy-call-types']) : undefined;
        if (types && !types.every((x) => (VOC_TYPES as readonly string[]).includes(x))) throw new UsageError(`--happy-call-types are of ${VOC_TYPES.join(', ')}.`);
        const after = o['happy-call-after'];
        const num = (raw: string | undefined, flag: string) => {
          if (raw === undefined) return undefined;
          const n = Number(raw);
          if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} is a whole number, not "${raw}".`);
          return n;
        };
        await withDb(o['data-dir'], (db) =>
          setVocSettings(db, t, {
            happyCallTypes: types as VocType[] | undefined,
            happyCallAfterMinutes: after === undefined ? undefined : after === 'next-day' ? null : num(after, 'happy-call-after'),
            followUpMaxAttempts: num(o['follow-up-attempts'], 'follow-up-attempts'),
            followUpRetryMinutes: num(o['follow-up-retry'], 'follow-up-retry'),
            placeCallUrl: o['place-call-url'] === undefined ? undefined : o['place-call-url'] === 'none' ? null : o['place-call-url'],
          }),
        );
        io.stdout.write(`VOC settings of ${t} saved.\n`);
        return 0;
      }),
  },
  'voc rollups': {
    usage: 'earshot-center voc rollups rebuild [--tenant T]   (recomputes the analysis rollups from the items and their history; every tenant without --tenant)\n',
    async run(o, args, io) {
      if (args[0] !== 'rebuild') throw new UsageError('Say "voc rollups rebuild [--tenant T]".');
      await withDb(o['data-dir'], async (db) => {
        const tenants = o.tenant ? [o.tenant] : (await db.query<{ id: string }>('SELECT id FROM tenants ORDER BY id')).map((r) => r.id);
        if (o.tenant && (await db.query('SELECT 1 FROM tenants WHERE id = $1', [o.tenant])).length === 0) throw new UsageError(`There is no tenant "${o.tenant}".`);
        for (const t of tenants) {
          const r = await rebuildRollups(db, t);
          io.stdout.write(`${t}: rollups rebuilt from ${r.items} VOC item(s) into ${r.cells} cell(s).\n`);
        }
      });
      return 0;
    },
  },
};
