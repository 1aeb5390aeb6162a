// `earshot-center backup FILE` and `restore FILE`: the center database, embedded (--data-dir) or
// PostgreSQL (DATABASE_URL). The work is db/backup.ts's; this says what happened and what follows.
import { backupCenter, BackupRefused, restoreCenter, type BackupTarget } from '../db/backup';
import { refusing, UsageError, type Command, type Options } from './common';

function target(o: Options): BackupTarget {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) return { databaseUrl };
  if (o['data-dir']) return { dataDir: o['data-dir'] };
  throw new UsageError('Say which database: --data-dir DIR (the embedded center) or DATABASE_URL (PostgreSQL).');
}

function fileOf(args: readonly string[], verb: string): string {
  if (args.length !== 1) throw new UsageError(`${verb} takes one backup file.`);
  return args[0]!;
}

export const backupCommands: Record<string, Command> = {
  backup: {
    usage:
      'earshot-center backup FILE    (--data-dir DIR: an embedded center, which must be stopped; DATABASE_URL: PostgreSQL, running or not)\n',
    run: (o, args, io) =>
      refusing(io, [BackupRefused], async () => {
        const done = await backupCenter(target(o), fileOf(args, 'backup'));
        io.stdout.write(`Backed up the center (identity ${done.identity.id}) to ${done.file} (${done.bytes} bytes).\n`);
        return 0;
      }),
  },
  restore: {
    usage:
      'earshot-center restore FILE   (refused while a center uses the database; gives it a new identity, so desktops send their notes again)\n',
    run: (o, args, io) =>
      refusing(io, [BackupRefused], async () => {
        const t = target(o);
        const done = await restoreCenter(t, fileOf(args, 'restore'));
        io.stdout.write(
          `Restored ${args[0]} into ${t.dataDir ?? 'the PostgreSQL database'}` +
            `${done.replacedBy ? ` (the database it replaced is kept in ${done.replacedBy})` : ''}.\n` +
            `The center's identity is now ${done.identity.id} (the backup's was ${done.previousIdentity}): each desktop that synced with it ` +
            'sends its notes and VOC items again and reloads its cache when it next connects; desktops too old to do so are told to update.\n',
        );
        return 0;
      }),
  },
};
