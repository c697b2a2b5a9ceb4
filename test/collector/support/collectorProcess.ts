// A collector in a process of its own, for load tests: the clients' work in the test process
// does not share its event loop. Config as JSON in SHOPTRAIL_TEST_CONFIG; prints "READY <url>".
import { parseConfig } from '../../../src/collector/config';
import { startCollector } from '../../../src/collector/server';

const config = parseConfig(JSON.parse(process.env.SHOPTRAIL_TEST_CONFIG ?? '{}'));
const running = await startCollector({ config, port: 0, log: false });
process.stdout.write(`READY ${running.url}\n`);
process.on('SIGTERM', () => void running.close().then(() => process.exit(0)));
