// Form submits: `web-form-submitted` describes the form by id, name, action and field *names*;
// login, register and newsletter forms also give their own event. Values never leave the
// page, except an email when `identifyByEmail` is on and fields marked `data-shoptrail-allow`
// that are not secret. Secret means password, hidden, or payment fields — by `autocomplete`
// (cc-*) and by name (card, cc, cvc, cvv, iban …), since stores name fields as they please.
import type { Core } from '../plugin';
import { ignored, isSearchForm } from '../lib/forms';
import { later, listen } from '../lib/later';
import { str } from '../lib/markup';
import { cleanUrl } from '../lib/url';

type Field = HTMLInputElement;

const SECRET_NAME = /card|^cc|cc[-_ ]?(num|exp|csc)|cvc|cvv|csc|iban|bic|swift|sort.?code|account.?num|routing|expir|secur|passw|pin$|ssn|token|secret/i;

/** A field whose value is never read, whatever the store's markup says. */
export const isSecret = (field: Field): boolean =>
  /password|hidden/.test(field.type) || /cc-|one-time/.test(field.getAttribute('autocomplete') || '') || SECRET_NAME.test(field.name + ' ' + field.id);

/**
 * What an allowlisted field says, as the browser would submit it: a radio or checkbox only
 * when checked (the value of an unchecked box is not a "yes"), every chosen option of a
 * multi-select, the value of anything else.
 */
export const chosen = (f: Field): string[] =>
  /radio|checkbox/.test(f.type)
    ? f.checked
      ? [f.value]
      : []
    : f.type == 'select-multiple'
      ? Array.from((f as unknown as HTMLSelectElement).selectedOptions, (o) => o.value)
      : [f.value];

/**
 * Values of the allowlisted, non-secret fields by name. A name with several chosen values (a
 * multi-select, a group of checkboxes) sends them comma-joined in one string: the body schema
 * and the collector keep flat strings, and a string reads as is in reports.
 */
export const allowedValues = (fields: Field[]): Record<string, string> => {
  const values: Record<string, string> = {};
  for (const f of fields) {
    if (!f.hasAttribute('data-shoptrail-allow') || isSecret(f)) continue;
    const name = f.name.slice(0, 100);
    for (const value of chosen(f)) if (value) values[name] = values[name] ? values[name] + ',' + value : value;
  }
  for (const name in values) values[name] = values[name]!.slice(0, 500);
  return values;
};

/** Cart forms (add, update) are the cart module's business, not a web form; by action, id or class, as routes may be localised. */
const CART = /cart/i;
const NEWSLETTER = /newsletter|subscri|mailchimp|mc-embedded|list-manage|klaviyo|sendinblue|brevo|omnisend|mailerlite/i;
const REGISTER = /regist|sign.?up|create|join/i;

/** What a form is for, from its markup: its mark, password fields, names and action. */
const classify = (form: HTMLFormElement, fields: Field[]): string | undefined => {
  const mark = form.getAttribute('data-shoptrail-form');
  if (mark) return mark == 'newsletter' ? 'newsletter-subscribe' : mark;
  const passwords = fields.filter((f) => f.type == 'password').length;
  const about = ['id', 'name', 'class', 'action']
    .map((a) => form.getAttribute(a))
    .concat(fields.map((f) => f.name))
    .join(' ');
  if (passwords) return passwords > 1 || REGISTER.test(about) ? 'register' : 'login';
  if (fields.some((f) => f.type == 'email' || /e-?mail/i.test(f.name)) && NEWSLETTER.test(about)) return 'newsletter-subscribe';
};

export const install = (core: Core) => {
  const byEmail = core.config.identifyByEmail;
  const onSubmit = (event: Event) => {
    const form = event.target as HTMLFormElement;
    if (
      !(form instanceof HTMLFormElement) ||
      ignored(form) ||
      isSearchForm(form) ||
      CART.test([form.getAttribute('action'), form.getAttribute('id'), form.className].join(' '))
    )
      return;
    // Read now (an app may clear the form), send in the next task.
    const fields = (Array.from(form.elements) as Field[]).filter((f) => f.name && !/submit|button|reset|image/.test(f.type));
    const names = [...new Set(fields.map((f) => f.name.slice(0, 200)))].slice(0, 200);
    const values = allowedValues(fields);
    const kind = classify(form, fields);
    const emailField = fields.find((f) => f.type == 'email' || /e-?mail/i.test(f.name));
    const typed = emailField && !isSecret(emailField) ? emailField.value.trim() : '';
    const email = byEmail && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(typed) ? typed : undefined;
    // getAttribute: a field named "id" or "action" shadows the form's own properties
    const attr = (name: string) => str(form.getAttribute(name));
    const formId = attr('id') ?? attr('name');
    later(() => {
      core.track('web-form-submitted', {
        formId,
        formName: attr('name'),
        action: cleanUrl(new URL(attr('action') || '', location.href).href),
        fields: names,
        ...(Object.keys(values).length ? { values } : {}),
      });
      if (kind == 'login' || kind == 'register') core.track(kind, { formId, email, method: 'form' });
      if (kind == 'newsletter-subscribe') core.track(kind, { formId, email });
      if (email && kind) core.identify(email, { email });
    });
  };
  return listen(document, 'submit', onSubmit);
};
