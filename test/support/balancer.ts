// A round-robin load balancer for tests: each request goes to the next upstream; one that refuses
// the connection is skipped for the next, as a real balancer's health check would. No stickiness.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  /** Requests answered by each upstream, by its URL. */
  served: Map<string, number>;
  close(): Promise<void>;
}

const forward = (upstream: string, incoming: IncomingMessage, body: Buffer) =>
  new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    const target = new URL(incoming.url ?? '/', upstream);
    const out = request(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });

export const startBalancer = async (upstreams: string[]): Promise<Balancer> => {
  let next = 0;
  const served = new Map(upstreams.map((u) => [u, 0]));
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const body = Buffer.concat(chunks);
      for (let tries = 0; tries < upstreams.length; tries++) {
        const upstream = upstreams[next++ % upstreams.length]!;
        try {
          const answer = await forward(upstream, incoming, body);
          served.set(upstream, (served.get(upstream) ?? 0) + 1);
          outgoing.writeHead(answer.status, answer.headers);
          outgoing.end(answer.body);
          return;
        } catch {
          // this upstream is down: try the next
        }
      }
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end('no upstream answered');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
