// A store's back end in its own Node process: sends an email-sent and a subscription shipment
// with the SDK, closes gracefully, prints the ids it tracked. Usage: tsx sdkProcess.ts <endpoint> <serverKey>
import { createServerTracker } from '../../../src/server/index';

const [endpoint, serverKey] = process.argv.slice(2);
const tracker = createServerTracker({ endpoint: endpoint!, serverKey: serverKey!, entity: 'shop' });
const ids = [
  tracker.track('email-sent', { campaign: 'renewal-reminder', template: 'r-7' }, { customerId: 'sub-owner-1' }),
  tracker.track(
    'custom-event',
    { name: 'created_shippingbox', properties: { subscriptionId: 'sub-1', shippingBoxId: 'box-1', orderId: 'o-1' } },
    { customerId: 'sub-owner-1' },
  ),
].map((r) => (r.ok ? r.id : `error: ${r.message}`));
const { unsent } = await tracker.close({ timeoutMs: 10_000 });
process.stdout.write(JSON.stringify({ ids, unsent }));
