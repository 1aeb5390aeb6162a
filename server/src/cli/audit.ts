// The audit trail from the command line: a customer's access history (itself recorded), and the
// tenant's limit on customer lookups per user per minute.
import { auditAdmin, commandLineActor, readCustomerAccess, ACCESS_HISTORY_MAX } from '../audit/trail';
import { UserError } from '../auth/users';
import { LookupLimitError, setLookupLimit } from '../lookup/limit';
import { need, UsageError, withDb, type Command } from './common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const auditCommands: Record<string, Command> = {
  'audit customer': {
    usage: `earshot-center audit customer --tenant T --customer ID [--limit N (1-${ACCESS_HISTORY_MAX}, default 200)]   (who saw or touched the customer, newest first)\n`,
    async run(o, _args, io) {
      const tenantId = need(o.tenant, 'tenant');
      const customerId = need(o.customer, 'customer');
      if (!UUID.test(customerId)) throw new UsageError('--customer is the customer id, a UUID (as shown in the customer profile).');
      const limit = Number(o.limit ?? 200);
      if (!Number.isInteger(limit) || limit < 1 || limit > ACCESS_HISTORY_MAX) throw new UsageError(`--limit is a whole number from 1 to ${ACCESS_HISTORY_MAX}.`);
      const entries = await withDb(o['data-dir'], async (db) => {
        const rows = await readCustomerAccess(db, tenantId, customerId, limit);
        await auditAdmin(db, { tenantId, action: 'customer_access_read', customerId, detail: `${commandLineActor()}: audit customer, ${rows.length} entries` });
        return rows;
      });
      if (entries.length === 0) io.stdout.write(`No one has seen or touched customer ${customerId} of tenant ${tenantId} (or there is no such customer).\n`);
      for (const e of entries) io.stdout.write(`${e.at}  ${e.action.padEnd(24)}  ${(e.username ?? (e.userId ? 'user ' + e.userId : 'command line')).padEnd(16)}  ${e.reason ?? ''}\n`);
      return 0;
    },
  },
  'tenant set-lookup-limit': {
    usage: 'earshot-center tenant set-lookup-limit --id T --per-minute N|none   (customer lookups one user may make a minute; none: no limit)\n',
    async run(o, _args, io) {
      const id = need(o.id, 'id');
      const raw = need(o['per-minute'], 'per-minute');
      const perMinute = raw === 'none' ? null : Number(raw);
      try {
        await withDb(o['data-dir'], (db) => setLookupLimit(db, id, perMinute), { tenantId: id, action: 'lookup_limit_set', detail: `tenant set-lookup-limit ${raw}` });
      } catch (err) {
        if (err instanceof LookupLimitError) throw new UserError(err.message);
        throw err;
      }
      io.stdout.write(perMinute === null ? `Tenant ${id}: no limit on customer lookups.\n` : `Tenant ${id}: at most ${perMinute} customer lookups a minute per user (running centers apply it within 10 seconds).\n`);
      return 0;
    },
  },
};
