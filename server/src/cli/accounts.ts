// Tenants and users from the command line. A disabled user or a reset password signs that user out
// everywhere (auth/users.ts).
import type { Role } from '../../../shared/domain';
import { addUser, disableUser, ensureTenant, liftSignInLimit, resetPassword, setTakesCalls, UserError } from '../auth/users';
import { createWebhookSecret } from '../cti/webhook-store';
import { createChatIdentitySecret } from '../channels/chat/visitors';
import { setMailSettings } from '../channels/mail';
import { need, readPassword, withDb, type Command, type Options } from './common';

const userOf = (o: Options) => ({ tenantId: need(o.tenant, 'tenant'), username: need(o.username, 'username') });

export const accountCommands: Record<string, Command> = {
  'tenant add': {
    usage: 'earshot-center tenant add --id T --name NAME [--time-zone Asia/Seoul]\n',
    async run(o, _args, io) {
      const id = need(o.id, 'id');
      const created = await withDb(o['data-dir'], (db) => ensureTenant(db, { id, name: o.name ?? id, timeZone: o['time-zone'] ?? 'UTC' }), {
        tenantId: id,
        action: 'tenant_added',
        detail: `tenant add --id ${id}`,
      });
      io.stdout.write(created ? `Tenant ${id} created.\n` : `Tenant ${id} already exists; nothing changed.\n`);
      return 0;
    },
  },
  'tenant set-webhook-secret': {
    usage: 'earshot-center tenant set-webhook-secret --id T   (prints a new CTI webhook secret; the previous one works for 24 h more)\n',
    async run(o, _args, io) {
      const id = need(o.id, 'id');
      const secret = await withDb(o['data-dir'], (db) => createWebhookSecret(db, id), { tenantId: id, action: 'webhook_secret_made', detail: 'tenant set-webhook-secret' });
      io.stdout.write(`${secret}\n`);
      io.stderr.write(`New CTI webhook secret for tenant ${id} (shown once; the previous secret is accepted for 24 hours more).\n`);
      return 0;
    },
  },
  'tenant set-chat-secret': {
    usage: "earshot-center tenant set-chat-secret --id T   (prints a new web chat identity secret for the tenant's site; the previous one works for 24 h more)\n",
    async run(o, _args, io) {
      const id = need(o.id, 'id');
      const secret = await withDb(o['data-dir'], (db) => createChatIdentitySecret(db, id), { tenantId: id, action: 'chat_secret_made', detail: 'tenant set-chat-secret' });
      io.stdout.write(`${secret}\n`);
      io.stderr.write(`New web chat identity secret for tenant ${id} (shown once; keep it on the site's server, never in a page; the previous secret is accepted for 24 hours more).\n`);
      return 0;
    },
  },
  'tenant set-mail': {
    usage:
      'earshot-center tenant set-mail --id T --smtp-host H --smtp-port P [--secure] [--smtp-user U (password on stdin)] --from support@acme.example [--from-name NAME]\n' +
      "   (the tenant's own mail server that agents' email replies leave through; 587 with STARTTLS, or 465 with --secure)\n",
    async run(o, _args, io) {
      const tenantId = need(o.id, 'id');
      const user = o['smtp-user'];
      const password = user ? (o.password ?? (await readPassword(io))) : undefined;
      const input = {
        tenantId,
        host: need(o['smtp-host'], 'smtp-host'),
        port: Number(need(o['smtp-port'], 'smtp-port')),
        secure: o.secure ?? false,
        ...(user && { user, password }),
        fromAddress: need(o.from, 'from'),
        ...(o['from-name'] && { fromName: o['from-name'] }),
      };
      await withDb(o['data-dir'], (db) => setMailSettings(db, input), { tenantId, action: 'mail_settings_set', detail: `tenant set-mail ${input.host}:${input.port}` });
      io.stdout.write(`Email replies of tenant ${tenantId} leave through ${input.host}:${input.port} as ${input.fromAddress}.\n`);
      return 0;
    },
  },
  'user add': {
    usage: 'earshot-center user add --tenant T --username U --role agent|supervisor|admin|staff|analyst [--display-name N] [--password P | stdin]\n',
    async run(o, _args, io) {
      const { tenantId, username } = userOf(o);
      const role = need(o.role, 'role') as Role;
      const password = o.password ?? (await readPassword(io));
      const user = await withDb(o['data-dir'], (db) => addUser(db, { tenantId, username, role, displayName: o['display-name'] ?? username, password }), {
        tenantId,
        action: 'user_added',
        detail: `user add ${username} (${role})`,
      });
      io.stdout.write(`User ${user.username} (${user.role}) added to tenant ${user.tenantId}.\n`);
      return 0;
    },
  },
  'user disable': {
    usage: 'earshot-center user disable --tenant T --username U\n',
    async run(o, _args, io) {
      const { tenantId, username } = userOf(o);
      await withDb(o['data-dir'], (db) => db.tx((q) => disableUser(q, tenantId, username)), { tenantId, action: 'user_disabled', detail: `user disable ${username}` });
      io.stdout.write(`User ${username} disabled and signed out everywhere.\n`);
      return 0;
    },
  },
  'user takes-calls': {
    usage: 'earshot-center user takes-calls --tenant T --username U on|off   (a supervisor or admin who also takes calls; signs them out so their desktop picks it up)\n',
    async run(o, args, io) {
      const { tenantId, username } = userOf(o);
      const on = args[0] === 'on' ? true : args[0] === 'off' ? false : null;
      if (on === null) throw new UserError(`Say on or off after user takes-calls, not ${JSON.stringify(args[0] ?? '')}.`);
      await withDb(
        o['data-dir'],
        (db) =>
          db.tx(async (q) => {
            await setTakesCalls(q, tenantId, username, on);
            // Their desktop signs in again and is told what it may now do.
            await q.query('UPDATE sessions SET revoked_at = now() WHERE tenant_id = $1 AND user_id = (SELECT id FROM users WHERE tenant_id = $1 AND username = $2) AND revoked_at IS NULL', [tenantId, username]);
          }),
        { tenantId, action: 'user_takes_calls', detail: `user takes-calls ${username} ${on ? 'on' : 'off'}` },
      );
      io.stdout.write(on ? `${username} now takes calls too: the agent's view is on their desktop at next sign-in.\n` : `${username} no longer takes calls.\n`);
      return 0;
    },
  },
  'user unlock': {
    usage: 'earshot-center user unlock --tenant T --username U   (lifts the sign-in limit an account reached after too many failed sign-ins)\n',
    async run(o, _args, io) {
      const { tenantId, username } = userOf(o);
      await withDb(o['data-dir'], (db) => liftSignInLimit(db, tenantId, username, 'command line'), { tenantId, action: 'user_unlocked', detail: `user unlock ${username}` });
      io.stdout.write(`Sign-in limit of ${username} lifted: they can sign in again at once.\n`);
      return 0;
    },
  },
  'user reset-password': {
    usage: 'earshot-center user reset-password --tenant T --username U [--password P | stdin]\n',
    async run(o, _args, io) {
      const { tenantId, username } = userOf(o);
      const password = o.password ?? (await readPassword(io));
      await withDb(o['data-dir'], (db) => db.tx((q) => resetPassword(q, tenantId, username, password)), {
        tenantId,
        action: 'password_reset',
        detail: `user reset-password ${username}`,
      });
      io.stdout.write(`Password of ${username} reset; their sessions were signed out.\n`);
      return 0;
    },
  },
};
