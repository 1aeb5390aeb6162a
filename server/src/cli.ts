// The center's command line: one table of commands (cli/), each with its usage; this module parses
// the options, picks the command and turns refusals into exit codes (64 usage, 1 refused).
import { parseArgs } from 'node:util';
import { UserError } from './auth/users';
import { accountCommands } from './cli/accounts';
import { backupCommands } from './cli/backup';
import { auditCommands } from './cli/audit';
import { OPTIONS, UsageError, withDb, type CliIo, type Command, type Options } from './cli/common';
import { importCommands } from './cli/imports';
import { queueCommands } from './cli/queues';
import { runCommand } from './cli/run';
import { vocCommands } from './cli/voc';
import { wallboardCli } from './wallboard/cli';

export type { CliIo } from './cli/common';

const wallboardCommand: Command = {
  usage: 'earshot-center wallboard add TENANT LABEL | revoke TENANT LABEL|ID | list TENANT   (add prints a wallboard token once)\n',
  run: (o, args, io) => {
    const [sub, tenantId, label] = args;
    const audit = (sub === 'add' || sub === 'revoke') && tenantId ? { tenantId, action: `wallboard_token_${sub === 'add' ? 'created' : 'revoked'}`, detail: `wallboard ${sub} ${label ?? ''}` } : undefined;
    return wallboardCli(args, (fn) => withDb(o['data-dir'], fn, audit), io);
  },
};

/** Commands by their words ("user add"); a one-word command takes the rest of the line as arguments. */
const COMMANDS: Record<string, Command> = {
  run: runCommand,
  ...accountCommands,
  ...importCommands,
  ...queueCommands,
  ...vocCommands,
  ...auditCommands,
  wallboard: wallboardCommand,
  ...backupCommands,
};

const USAGE =
  Object.values(COMMANDS)
    .map((c) => c.usage)
    .join('') + '(user, tenant, voc, import and backup commands need --data-dir or DATABASE_URL, and a center that is not running on the same PGlite directory)\n';

export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const o = values as Options;
    if (o.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const [first = 'run', second] = positionals;
    const two = `${first} ${second}`;
    if (Object.hasOwn(COMMANDS, two)) return await COMMANDS[two]!.run(o, positionals.slice(2), io);
    if (Object.hasOwn(COMMANDS, first)) return await COMMANDS[first]!.run(o, positionals.slice(1), io);
    throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`${err.message}\n\n${USAGE}`);
      return 64;
    }
    io.stderr.write(`The center command failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
