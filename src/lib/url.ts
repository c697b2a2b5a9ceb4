// URLs go into every event, and stores put surprising things in query strings: login links
// with tokens, newsletter links with the address. Drop parameters that name a secret and
// mask anything shaped like an email before a URL leaves the page.
const SECRET_PARAM = /^(e-?mail|password|passwd|pwd|pass|token|access_token|id_token|auth|secret|api_?key|card|cc|cvv|cvc|iban|phone|tel|ssn)$/i;
const EMAIL = /[^\s@&=?/#:]+(@|%40)[^\s@&=?/#]+\.[a-z]{2,}/gi;

export const cleanUrl = (raw: string): string => {
  if (!raw) return raw;
  try {
    const url = new URL(raw);
    for (const key of [...url.searchParams.keys()]) if (SECRET_PARAM.test(key)) url.searchParams.delete(key);
    return url.href.replace(EMAIL, 'redacted').slice(0, 2048);
  } catch {
    return raw.replace(EMAIL, 'redacted').slice(0, 2048);
  }
};
