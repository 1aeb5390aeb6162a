// Imports from the command line: customers from a CSV file, with progress on standard error and the
// rejected lines (with their numbers) on standard output.
import { importCustomers } from '../import/customers';
import { need, withDb, type Command } from './common';

const SHOW_REJECTED = 20;

export const importCommands: Record<string, Command> = {
  'import customers': {
    usage: 'earshot-center import customers FILE.csv --tenant T\n',
    async run(o, args, io) {
      const file = need(args[0], 'FILE.csv (after "import customers")');
      const tenantId = need(o.tenant, 'tenant');
      const result = await withDb(
        o['data-dir'],
        (db) => importCustomers(db, tenantId, file, (p) => io.stderr.write(`\r${p.rows} rows, ${p.imported} imported, ${p.rejected} rejected`)),
        { tenantId, action: 'customers_imported', detail: `import customers ${file}` },
      );
      io.stderr.write('\n');
      io.stdout.write(`Imported ${result.imported} of ${result.rows} rows; ${result.rejected.length} rejected.\n`);
      for (const r of result.rejected.slice(0, SHOW_REJECTED)) io.stdout.write(`  line ${r.line}: ${r.reason}\n`);
      if (result.rejected.length > SHOW_REJECTED) io.stdout.write(`  … and ${result.rejected.length - SHOW_REJECTED} more.\n`);
      return result.rejected.length > 0 ? 2 : 0;
    },
  },
};
