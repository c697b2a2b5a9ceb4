// Link clicks: links marked `data-shoptrail-link="<id>"`, and outbound links (to another
// host). Only the URL and a short scrubbed label are sent, never page content.
import type { Core } from '../plugin';
import { ignored } from '../lib/forms';
import { later, listen } from '../lib/later';
import { labelOf } from '../lib/scrub';
import { cleanUrl } from '../lib/url';

export const install = (core: Core) =>
  listen(document, 'click', (event) => {
    const link = (event.target as Element).closest?.('a[href]') as HTMLAnchorElement | null;
    if (!link || ignored(link)) return;
    const linkId = link.getAttribute('data-shoptrail-link') || undefined;
    const outbound = /^https?:$/.test(link.protocol) && link.host != location.host;
    if (linkId || outbound) {
      later(() => core.track('web-link-clicked', { url: cleanUrl(new URL(link.href, location.href).href), label: labelOf(link) || undefined, linkId, outbound }));
    }
  });
