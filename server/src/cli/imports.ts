// Imports from the command line: customers and purchases from CSV files, with progress on standard
// error and the rejected lines (with their numbers) on standard output.
import type { ImportResult } from '../import/csv-import';
import { importCustomers } from '../import/customers';
import { importPurchases } from '../import/purchases';
import { recomputeCustomerValues } from '../value/customer-values';
import { need, withDb, type CliIo, type Command } from './common';

const SHOW_REJECTED = 20;

const progress = (io: CliIo) => (p: { rows: number; imported: number; rejected: number }) =>
  io.stderr.write(`\r${p.rows} rows, ${p.imported} imported, ${p.rejected} rejected`);

function report(io: CliIo, result: ImportResult): void {
  for (const r of result.rejected.slice(0, SHOW_REJECTED)) io.stdout.write(`  line ${r.line}: ${r.reason}\n`);
  if (result.rejected.length > SHOW_REJECTED) io.stdout.write(`  … and ${result.rejected.length - SHOW_REJECTED} more.\n`);
}

export const importCommands: Record<string, Command> = {
  'import customers': {
    usage: 'earshot-center import customers FILE.csv --tenant T\n',
    async run(o, args, io) {
      const file = need(args[0], 'FILE.csv (after "import customers")');
      const tenantId = need(o.tenant, 'tenant');
      const result = await withDb(o['data-dir'], (db) => importCustomers(db, tenantId, file, progress(io)), {
        tenantId,
        action: 'customers_imported',
        detail: `import customers ${file}`,
      });
      io.stderr.write('\n');
      io.stdout.write(`Imported ${result.imported} of ${result.rows} rows; ${result.rejected.length} rejected.\n`);
      report(io, result);
      return result.rejected.length > 0 ? 2 : 0;
    },
  },
  'import purchases': {
    usage:
      'earshot-center import purchases FILE.csv --tenant T [--all-or-nothing]   (then recomputes customer value; ' +
      'bad rows are listed and the good ones kept, or with --all-or-nothing nothing is kept)\n',
    async run(o, args, io) {
      const file = need(args[0], 'FILE.csv (after "import purchases")');
      const tenantId = need(o.tenant, 'tenant');
      const allOrNothing = o['all-or-nothing'] === true;
      const outcome = await withDb(
        o['data-dir'],
        async (db) => {
          const result = await importPurchases(db, tenantId, file, progress(io), { allOrNothing });
          io.stderr.write('\n');
          if (result.imported === 0) return { result, changed: null };
          io.stderr.write('Recomputing customer value (RFM, lifetime value, tiers)…\n');
          return { result, changed: (await recomputeCustomerValues(db, tenantId)).changed };
        },
        { tenantId, action: 'purchases_imported', detail: `import purchases ${file}${allOrNothing ? ' --all-or-nothing' : ''}` },
      );
      const { result, changed } = outcome;
      if (result.discarded > 0 || (allOrNothing && result.rejected.length > 0)) {
        io.stdout.write(
          `Imported nothing: ${result.rejected.length} of ${result.rows} rows were rejected and --all-or-nothing was given. ` +
            'Fix the rows below and import the file again.\n',
        );
      } else {
        io.stdout.write(`Imported ${result.imported} of ${result.rows} rows; ${result.rejected.length} rejected.\n`);
      }
      if (changed !== null) io.stdout.write(`Customer value recomputed: ${changed} customers changed.\n`);
      report(io, result);
      return result.rejected.length > 0 ? 2 : 0;
    },
  },
};
