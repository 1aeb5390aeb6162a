// Queue settings and the tenant's time zone from the command line; a running center applies them
// within seconds (floor/queue-settings.ts re-reads them).
import { isTimeZone, QueueSettingsError, setQueueSettings, setTenantTimeZone, validateQueueSettings } from '../floor/queue-settings';
import { QueueLabelError, setQueueLabel, validateQueueLabel } from '../floor/queue-labels';
import { CapacityError, parseCapacity, setCapacity } from '../channels/capacity';
import { changeTx } from '../sync/change-log';
import { need, refusing, withDb, type Command } from './common';

/** A refused setting is said plainly, exit code 1. */
const refusingSettings = (io: Parameters<Command['run']>[2], fn: () => Promise<number>) => refusing(io, [QueueSettingsError], fn);

export const queueCommands: Record<string, Command> = {
  'queue set': {
    usage: `earshot-center queue set TENANT QUEUE [--sl-formula abandons_count_against|early_abandons_ignored|abandons_excluded]
    [--sl-seconds T (1-3600)] [--short-abandon-seconds S (0-600)]
    [--wrap-up on|off] [--wrap-up-limit SECONDS (0-7200)|none]   (a running center applies it within seconds)
`,
    run: (o, args, io) =>
      refusingSettings(io, async () => {
        const tenantId = need(args[0], 'TENANT (after "queue set")');
        const queueId = need(args[1], 'QUEUE (after "queue set TENANT")');
        const input = {
          serviceLevelFormula: o['sl-formula'],
          serviceLevelThresholdSec: o['sl-seconds'],
          shortAbandonSec: o['short-abandon-seconds'],
          wrapUp: o['wrap-up'],
          wrapUpLimitSec: o['wrap-up-limit'],
        };
        validateQueueSettings(input); // bad values are refused before the database is opened
        const now = await withDb(o['data-dir'], (db) => setQueueSettings(db, tenantId, queueId, input), {
          tenantId,
          action: 'queue_set',
          detail: `queue set ${queueId} ${JSON.stringify(input)}`,
        });
        const wrapUp = !now.wrapUp
          ? 'no wrap-up (agents are available when a call ends)'
          : now.wrapUpLimitSec === null
            ? 'wrap-up until the agent ends it'
            : `wrap-up ending by itself after ${now.wrapUpLimitSec} s`;
        io.stdout.write(
          `Queue ${queueId} of ${tenantId}: service level ${now.serviceLevelFormula} with T = ${now.serviceLevelThresholdSec} s, short abandons under ${now.shortAbandonSec} s; ${wrapUp}.\n`,
        );
        return 0;
      }),
  },
  'queue capacity': {
    usage: `earshot-center queue capacity TENANT QUEUE --channel chat|email --capacity N (1-50) [--interruptible on|off]
    (how many of the channel's items an agent of the queue holds at once; interruptible: a call may still reach them)
`,
    run: (o, args, io) =>
      refusing(io, [CapacityError], async () => {
        const tenantId = need(args[0], 'TENANT (after "queue capacity")');
        const queueId = need(args[1], 'QUEUE (after "queue capacity TENANT")');
        const c = parseCapacity(o.channel, o.capacity, o.interruptible);
        const now = await withDb(o['data-dir'], (db) => setCapacity(db, tenantId, queueId, c.channel, c), {
          tenantId,
          action: 'queue_capacity',
          detail: `queue capacity ${queueId} ${JSON.stringify(c)}`,
        });
        io.stdout.write(`Queue ${queueId} of ${tenantId}: an agent holds up to ${now.capacity} ${c.channel === 'chat' ? 'chats' : 'emails'} at once; ${now.interruptible ? 'a call may still reach them' : 'no call reaches them meanwhile'}.\n`);
        return 0;
      }),
  },
  'queue label': {
    usage: `earshot-center queue label TENANT QUEUE --lang ko [--name TEXT] [--code CODE --label TEXT]
    (the queue's name, or a disposition's label, in that language; desktops show it to agents who use it)
`,
    run: (o, args, io) =>
      refusing(io, [QueueLabelError], async () => {
        const tenantId = need(args[0], 'TENANT (after "queue label")');
        const input = { queueId: need(args[1], 'QUEUE (after "queue label TENANT")'), lang: need(o.lang, 'lang'), name: o.name, code: o.code, label: o.label };
        validateQueueLabel(input);
        const { value: queue } = await withDb(o['data-dir'], (db) => changeTx(db, tenantId, (tx) => setQueueLabel(tx, input)), {
          tenantId,
          action: 'queue_label',
          detail: `queue label ${input.queueId} ${JSON.stringify(input)}`,
        });
        const code = queue.dispositionCodes.find((c) => c.code === input.code);
        io.stdout.write(
          `Queue ${queue.id} of ${tenantId} in ${input.lang}: ${queue.labels?.[input.lang] ?? queue.name}${code ? `; ${code.code}: ${code.labels?.[input.lang] ?? code.label}` : ''}.\n`,
        );
        return 0;
      }),
  },
  'tenant set-time-zone': {
    usage: 'earshot-center tenant set-time-zone --id T --time-zone Asia/Seoul   ("since midnight" metrics follow it)\n',
    run: (o, _args, io) =>
      refusingSettings(io, async () => {
        const id = need(o.id, 'id');
        const zone = need(o['time-zone'], 'time-zone');
        if (!isTimeZone(zone)) throw new QueueSettingsError(`Time zone ${JSON.stringify(zone)} is not an IANA zone this Node knows; use one like Asia/Seoul or America/New_York.`);
        await withDb(o['data-dir'], (db) => setTenantTimeZone(db, id, zone), { tenantId: id, action: 'time_zone_set', detail: `tenant set-time-zone ${zone}` });
        io.stdout.write(`Tenant ${id} now counts "today" from midnight in ${zone}.\n`);
        return 0;
      }),
  },
};
