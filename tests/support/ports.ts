// A free TCP port on 127.0.0.1 for the throw-away servers tests and benches start.
import net from 'node:net';

/** A port nobody listens on right now (the kernel picks it; released before we use it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
