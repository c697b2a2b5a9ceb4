// A flood in a worker thread of its own (starvation.test.ts): hostile clients, each posting its
// body again and again over its own connections. Apart from the test's thread, so the store's
// client measures the collector, not the flood's event loop. Messages in: 'resume', 'pause',
// 'stop'; out: 'flooding' (every client answered twice since the resume), 'paused' (every
// client idle), then { counts } once stopped. Never runs longer than `ms`.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, clients, ms } = workerData;
const deadline = Date.now() + ms;
let state = 'paused';
let answeredSinceResume = new Map();
const idle = new Set();
const counts = {};

const post = (agent, target, body) =>
  new Promise((resolve) => {
    const req = request(target, { method: 'POST', agent, headers: { 'Content-Type': 'text/plain', 'Content-Length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0)); // the server cut an unread upload short
    req.end(body);
  });

const checkPaused = () => {
  if (state === 'paused' && idle.size === clients.length) parentPort.postMessage('paused');
};

parentPort.on('message', (message) => {
  state = message === 'pause' ? 'paused' : message;
  if (message === 'resume') answeredSinceResume = new Map();
  checkPaused();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await Promise.all(
  clients.map(async ({ path, bodies }, c) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; state !== 'stop' && Date.now() < deadline; i++) {
      if (state === 'paused') {
        if (!idle.has(c)) {
          idle.add(c);
          checkPaused();
        }
        await sleep(5);
        continue;
      }
      idle.delete(c);
      const status = await post(agent, `${url}${path}`, Buffer.from(bodies[i % bodies.length]));
      counts[status] = (counts[status] ?? 0) + 1;
      const n = (answeredSinceResume.get(c) ?? 0) + 1;
      answeredSinceResume.set(c, n);
      if (n === 2 && [...answeredSinceResume.values()].filter((k) => k >= 2).length === clients.length) parentPort.postMessage('flooding');
    }
    agent.destroy();
  }),
);
parentPort.postMessage({ counts });
