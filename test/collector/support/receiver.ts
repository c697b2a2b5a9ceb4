// A webhook receiver on 127.0.0.1 for tests: records every call, answers what the test says.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  delivery: string;
  event: string;
  signature: string;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  calls: Call[];
  /** The status of the next call (default 200). */
  answer: (call: number) => number;
  close(): Promise<void>;
}

export const startReceiver = async (answer: (call: number) => number = () => 200): Promise<Receiver> => {
  const receiver = { calls: [] as Call[], answer } as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = receiver.answer(receiver.calls.length);
      receiver.calls.push({
        delivery: String(req.headers['shoptrail-delivery']),
        event: String(req.headers['shoptrail-event']),
        signature: String(req.headers['shoptrail-signature']),
        body: Buffer.concat(chunks).toString(),
        status,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
};
