// Content statistics (seed 000): which catalog event types are a send, an open or a click of
// which content channel. Data, read by the API and (through it) by the console. A channel has
// no entry for a metric the catalog has no event for (no push "sent", no SMS open or click):
// the console shows "not tracked" there rather than a misleading 0.
export type Channel = 'web' | 'email' | 'push' | 'sms';
export type Metric = 'sends' | 'opens' | 'clicks';

export const CHANNELS: Array<{ channel: Channel; label: string; types: Partial<Record<Metric, string[]>> }> = [
  {
    channel: 'web',
    label: 'Web content',
    // The disused modal and banner events still count as the web content they were.
    types: {
      sends: ['web-modal-scheduled'],
      opens: ['web-content-opened', 'web-modal-opened'],
      clicks: ['web-content-clicked', 'web-modal-link-clicked', 'banner-link-clicked'],
    },
  },
  { channel: 'email', label: 'Email', types: { sends: ['email-sent', 'email-sent-alert'], opens: ['email-opened'], clicks: ['email-link-clicked'] } },
  { channel: 'push', label: 'Web push', types: { opens: ['push-notification-opened'], clicks: ['push-notification-link-clicked'] } },
  { channel: 'sms', label: 'SMS', types: { sends: ['sms-sent', 'sms-sent-alert'] } },
];

/** Every content event type → its channel and metric. */
export const CONTENT_TYPES: Map<string, { channel: Channel; metric: Metric }> = new Map(
  CHANNELS.flatMap(({ channel, types }) =>
    Object.entries(types).flatMap(([metric, list]) => list!.map((type) => [type, { channel, metric: metric as Metric }] as const)),
  ),
);
