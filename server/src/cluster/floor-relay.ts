// One floor per tenant, on the CTI owner. With several center nodes, a desktop may be connected to
// any node, but agent states and queue metrics live only in the memory of the node that owns CTI:
// every other node forwards the floor's commands to it over socket.io's server-side emit (through
// the Redis adapter) and hands the owner's answer back. The owner's pushes reach every node's rooms
// through the adapter too, so a supervisor on any node sees one picture.
import type { Server } from 'socket.io';
import { z } from 'zod';
import { CallControlRequest, ErrorCode, ForceAgentStateRequest, SetAgentStateRequest } from '../../../shared/protocol';
import { CenterError } from '../base/errors';
import type { CallControl } from '../calls/call-control';
import { CtiEvent } from '../floor/model/cti-events';
import type { Floor, FloorPerson } from '../floor/floor';
import { agentRoom } from '../io/rooms';

/** The server-side event the nodes forward floor commands with. */
export const FLOOR_COMMAND_EVENT = 'floor:command';

/** A command as it crosses Redis: which operation, and its JSON arguments. */
const Command = z.object({ op: z.string().min(1).max(64), args: z.array(z.unknown()).max(8) });
/** Each other node answers; only the owner answers with `owner: true`. */
const Reply = z.object({
  owner: z.boolean(),
  ok: z.boolean().optional(),
  value: z.unknown().optional(),
  error: z.object({ code: ErrorCode, message: z.string() }).optional(),
});
type Reply = z.infer<typeof Reply>;

export interface RelayLog {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Operations the owner answers for every node: name → the owner's local implementation. */
export type RelayedOps = Record<string, (...args: never[]) => Promise<unknown>>;

export interface FloorRelay {
  /** Runs `op` on the owner: here when this node owns the floor, otherwise on the node that does. */
  call<T>(op: string, args: unknown[]): Promise<T>;
  close(): void;
}

const NO_OWNER =
  'No center node owns the agent floor right now (one is taking over after a node stopped); try again in a few seconds.';

/**
 * `ops`: what the owner runs (the local floor and call control). `isOwner`: does this node own the
 * floor now (it holds CTI and has restored the floor)? Errors other than CenterError are reported to
 * the caller as `internal` without their text (it may carry data), and logged on the owner.
 */
export function createFloorRelay(io: Server, ops: RelayedOps, opts: { isOwner(): boolean; log: RelayLog }): FloorRelay {
  const run = async (op: string, args: unknown[]): Promise<unknown> => {
    const fn = Object.hasOwn(ops, op) ? ops[op] : undefined;
    if (!fn) throw new CenterError('bad_request', `The floor has no operation ${op.slice(0, 64)}.`);
    return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
  };

  const onCommand = (raw: unknown, ack: unknown): void => {
    if (typeof ack !== 'function') return;
    const answer = ack as (r: Reply) => void;
    if (!opts.isOwner()) return answer({ owner: false });
    const cmd = Command.safeParse(raw);
    if (!cmd.success) return answer({ owner: true, ok: false, error: { code: 'bad_request', message: 'A malformed floor command reached the owner.' } });
    run(cmd.data.op, cmd.data.args).then(
      (value) => answer({ owner: true, ok: true, value: value ?? null }),
      (err: unknown) => {
        if (err instanceof CenterError) return answer({ owner: true, ok: false, error: { code: err.code, message: err.message } });
        opts.log.error({ op: cmd.data.op, error: err instanceof Error ? err.name : typeof err }, 'a forwarded floor command failed on the owner');
        answer({ owner: true, ok: false, error: { code: 'internal', message: `The center failed to handle ${cmd.data.op}; it is safe to retry.` } });
      },
    );
  };
  io.on(FLOOR_COMMAND_EVENT, onCommand);

  const forward = (op: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      // Every other node answers (or the adapter's request timeout ends the wait); the owner's answer counts.
      io.serverSideEmit(FLOOR_COMMAND_EVENT, { op, args }, (_err: Error | null, responses: unknown[]) => {
        for (const r of responses ?? []) {
          const reply = Reply.safeParse(r);
          if (!reply.success || !reply.data.owner) continue;
          if (reply.data.ok) return resolve(reply.data.value);
          const e = reply.data.error ?? { code: 'internal' as const, message: 'The owner refused the command.' };
          return reject(new CenterError(e.code, e.message));
        }
        reject(new CenterError('internal', NO_OWNER));
      });
    });

  return {
    call: async <T>(op: string, args: unknown[]): Promise<T> => (opts.isOwner() ? run(op, args) : forward(op, args)) as Promise<T>,
    close() {
      io.off(FLOOR_COMMAND_EVENT, onCommand);
    },
  };
}

/** Only what the floor needs of a principal crosses to the owner (no session token hash). */
const person = (p: FloorPerson): FloorPerson => ({ userId: p.userId, tenantId: p.tenantId, username: p.username, role: p.role, takesCalls: p.takesCalls === true });

/**
 * The floor and call control as every node's handlers use them: commands run on the owner's (the
 * local ones while this node owns the floor). Arguments are parsed again where they arrive: they
 * crossed Redis.
 */
export function relayToOwner(io: Server, local: Floor, localControl: CallControl, opts: { isOwner(): boolean; log: RelayLog }) {
  const relay = createFloorRelay(
    io,
    {
      connected: (who: FloorPerson) => local.connected(who),
      disconnected: async (who: FloorPerson) => {
        // The desktop may already be back on another node (a reconnect can overtake the old node's
        // disconnect): the grace period starts only when no node has a socket of this user.
        if ((await io.in(agentRoom(who.userId)).fetchSockets()).length > 0) return;
        await local.disconnected(who);
      },
      setState: (who: FloorPerson, req: SetAgentStateRequest) => local.setState(who, SetAgentStateRequest.parse(req)),
      force: (who: FloorPerson, req: ForceAgentStateRequest) => local.force(who, ForceAgentStateRequest.parse(req)),
      agentsOf: (tenantId: string) => local.agentsOf(tenantId),
      fullPush: (tenantId: string) => local.fullPush(tenantId),
      finishWrapUp: (tenantId: string, username: string, interactionId: string) => local.finishWrapUp(tenantId, username, interactionId),
      ingestCti: (tenantId: string, event: CtiEvent) => local.ingestCti(tenantId, CtiEvent.parse(event)),
      callControl: (who: { tenantId: string; username: string }, req: CallControlRequest) => localControl.handle(who, CallControlRequest.parse(req)),
    },
    opts,
  );
  const floor: Floor = {
    ...local,
    connected: (who) => relay.call('connected', [person(who)]),
    disconnected: (who) => relay.call('disconnected', [person(who)]),
    setState: (who, req) => relay.call('setState', [person(who), req]),
    force: (who, req) => relay.call('force', [person(who), req]),
    agentsOf: (tenantId) => relay.call('agentsOf', [tenantId]),
    fullPush: (tenantId) => relay.call('fullPush', [tenantId]),
    finishWrapUp: (tenantId, username, interactionId) => relay.call('finishWrapUp', [tenantId, username, interactionId]),
    // A switch's event (webhook on any node): agent states and metrics are the owner's.
    ingestCti: (tenantId, event) => relay.call('ingestCti', [tenantId, event]),
    // Deadlines and the metrics push run on the owner only.
    tick: () => (opts.isOwner() ? local.tick() : Promise.resolve()),
  };
  const callControl: CallControl = {
    ...localControl,
    handle: (who, req) => relay.call('callControl', [{ tenantId: who.tenantId, username: who.username }, req]),
  };
  return { floor, callControl, close: () => relay.close() };
}
