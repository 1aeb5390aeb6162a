// Test support: a real TCP server on 127.0.0.1 that speaks AMI the way Asterisk does, so the client
// and adapter are tested over the wire. Each connection is driven by a session script.
import { createServer, type Server, type Socket } from 'node:net';
import { AmiParser, amiField, type AmiMessage } from '../ami-parser';

export interface PeerConnection {
  readonly index: number;
  readonly actions: AmiMessage[];
  send(text: string): void;
  /** Writes text in pieces of the given sizes (cycled), to exercise arbitrary chunk boundaries. */
  sendChunked(text: string, sizes: number[]): void;
  /** Answers an action the way Asterisk does: Response, the same ActionID, a Message. */
  respond(action: AmiMessage, response: 'Success' | 'Error' | 'Goodbye', message: string): void;
  onAction(listener: (action: AmiMessage) => void): void;
  close(): void;
  destroy(): void;
}

export interface AmiPeer {
  port: number;
  connections: PeerConnection[];
  close(): Promise<void>;
}

export const BANNER = 'Asterisk Call Manager/13.0.0\r\n';

export async function startAmiPeer(session: (conn: PeerConnection) => void): Promise<AmiPeer> {
  const connections: PeerConnection[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const parser = new AmiParser();
    const listeners: Array<(a: AmiMessage) => void> = [];
    const conn: PeerConnection = {
      index: connections.length,
      actions: [],
      send: (text) => {
        if (!socket.destroyed) socket.write(text);
      },
      sendChunked: (text, sizes) => {
        let offset = 0;
        let i = 0;
        const bytes = Buffer.from(text, 'utf8');
        while (offset < bytes.length && !socket.destroyed) {
          const size = Math.max(1, sizes[i++ % sizes.length] ?? 1);
          socket.write(bytes.subarray(offset, offset + size));
          offset += size;
        }
      },
      respond: (action, response, message) => {
        const id = amiField(action, 'ActionID');
        conn.send(`Response: ${response}\r\n${id ? `ActionID: ${id}\r\n` : ''}Message: ${message}\r\n\r\n`);
      },
      onAction: (listener) => void listeners.push(listener),
      close: () => socket.end(),
      destroy: () => socket.destroy(),
    };
    connections.push(conn);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of parser.push(chunk)) {
        if (frame.kind !== 'message') continue;
        conn.actions.push(frame.message);
        for (const l of listeners) l(frame.message);
      }
    });
    session(conn);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('AMI peer did not get a TCP port');
  return {
    port: address.port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The usual Asterisk session: banner, Login answered with the client's ActionID, then `afterLogin`
 * (e.g. the fixture's events). Other actions get `Response: Success`; Logoff gets Goodbye and a close.
 */
export function asteriskSession(afterLogin: (conn: PeerConnection) => void = () => undefined, opts: { secret?: string } = {}) {
  return (conn: PeerConnection): void => {
    conn.send(BANNER);
    conn.onAction((action) => {
      const name = amiField(action, 'Action')?.toLowerCase();
      if (name === 'login') {
        if (opts.secret !== undefined && amiField(action, 'Secret') !== opts.secret) {
          conn.respond(action, 'Error', 'Authentication failed');
          return;
        }
        conn.respond(action, 'Success', 'Authentication accepted');
        afterLogin(conn);
      } else if (name === 'logoff') {
        conn.respond(action, 'Goodbye', 'Thanks for all the fish.');
        conn.close();
      } else if (name === 'queuepause') {
        conn.respond(action, 'Success', amiField(action, 'Paused') === 'true' ? 'Interface paused successfully' : 'Interface unpaused successfully');
      } else {
        conn.respond(action, 'Success', 'OK');
      }
    });
  };
}
