// IAB TCF v2.2: `__tcfapi('addEventListener', 2, cb)` calls back with the TC data now and on
// every change. Purposes Shoptrail needs (docs/integrations.md): analytics = 1 (store and access
// information on a device) and 8 (measure content performance, consent or legitimate interest);
// marketing = 1, 2, 3 and 4 (basic ads, ad profiles, personalised ads). Where the GDPR does not
// apply, both are given. The CMP's stub may be defined after us: looked for a while.
import type { Platform } from './purposes';

interface TcData {
  gdprApplies?: boolean;
  eventStatus?: string;
  listenerId?: number;
  purpose?: { consents?: Record<string, boolean>; legitimateInterests?: Record<string, boolean> };
}
type TcfApi = (command: string, version: number, callback: (data: TcData, success: boolean) => void, parameter?: unknown) => void;

const LOOK_EVERY_MS = 250;
const LOOK_TIMES = 40;

export const tcf: Platform = (report) => {
  let listenerId: number | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const api = () => (window as unknown as { __tcfapi?: TcfApi }).__tcfapi;
  const listen = (tries: number) => {
    const tcfapi = api();
    if (!tcfapi) {
      if (tries > 0) timer = setTimeout(() => stopped || listen(tries - 1), LOOK_EVERY_MS);
      return;
    }
    tcfapi('addEventListener', 2, (data, success) => {
      if (!success || !data) return;
      listenerId = data.listenerId;
      if (data.gdprApplies === false) return report({ analytics: true, marketing: true });
      // Until the shopper answers (`cmpuishown`), a CMP's data may reflect no choice yet.
      if (data.eventStatus !== 'tcloaded' && data.eventStatus !== 'useractioncomplete') return;
      const given = data.purpose?.consents ?? {};
      const interest = data.purpose?.legitimateInterests ?? {};
      report({
        analytics: !!given[1] && !!(given[8] || interest[8]),
        marketing: !!(given[1] && given[2] && given[3] && given[4]),
      });
    });
  };
  listen(LOOK_TIMES);
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (listenerId !== undefined) api()?.('removeEventListener', 2, () => {}, listenerId);
  };
};
