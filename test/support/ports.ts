// Ports for servers that tests start: chosen free by the kernel, on loopback only.
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (closed again, for a server started right after). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
