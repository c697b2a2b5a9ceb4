import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install, isSecret } from '../../../src/capture/forms';
import { at, fakeCore, tasks } from '../support/core';

const submit = (form: HTMLFormElement) => form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));

describe('form capture', () => {
  let uninstall: () => void;
  beforeEach(() => at('https://s.example/account'));
  afterEach(() => uninstall?.());
  const start = (options = {}) => {
    const fake = fakeCore(options);
    uninstall = install(fake.core) as () => void;
    return fake;
  };

  it('describes a form by its names only, never values', async () => {
    document.body.innerHTML = `<form id="contact" name="contact" action="/contact?token=abc">
      <input name="id" value="shadow"><input name="action" value="shadow">
      <input name="first_name" value="Ada"><textarea name="message">my secret plans</textarea>
      <input type="hidden" name="csrf" value="tok-123"><button type="submit" name="go">Send</button></form>`;
    const { tracked } = start();
    submit(document.forms[0]!);
    await tasks();
    expect(tracked).toEqual([
      {
        type: 'web-form-submitted',
        body: { formId: 'contact', formName: 'contact', action: 'https://s.example/contact', fields: ['id', 'action', 'first_name', 'message', 'csrf'] },
      },
    ]);
    expect(JSON.stringify(tracked)).not.toMatch(/Ada|secret plans|tok-123/);
  });

  it('sends allowlisted values, but never a secret field even when allowlisted', async () => {
    document.body.innerHTML = `<form id="f"><input name="topic" value="returns" data-shoptrail-allow>
      <input name="card_number" value="4111111111111111" data-shoptrail-allow>
      <input name="x" autocomplete="cc-csc" value="123" data-shoptrail-allow>
      <input type="password" name="pw" value="hunter2" data-shoptrail-allow></form>`;
    const { tracked } = start();
    submit(document.forms[0]!);
    await tasks();
    expect(tracked[0]!.body.values).toEqual({ topic: 'returns' });
  });

  it('sends what the shopper chose: the checked radio, checked boxes only, every chosen option', async () => {
    document.body.innerHTML = `<form id="checkout" action="/checkout">
      <input type="radio" name="delivery" value="standard" checked data-shoptrail-allow>
      <input type="radio" name="delivery" value="express" data-shoptrail-allow>
      <input type="radio" name="wrap" value="paper" data-shoptrail-allow><input type="radio" name="wrap" value="box" data-shoptrail-allow>
      <input type="checkbox" name="marketing" value="yes" data-shoptrail-allow>
      <input type="checkbox" name="terms" data-shoptrail-allow checked>
      <input type="checkbox" name="interests" value="tea" checked data-shoptrail-allow>
      <input type="checkbox" name="interests" value="gear" data-shoptrail-allow>
      <input type="checkbox" name="interests" value="coffee" checked data-shoptrail-allow>
      <select name="country" data-shoptrail-allow><option value="FR">France</option><option value="ES" selected>Spain</option></select>
      <select name="grind" multiple data-shoptrail-allow><option value="whole" selected>Whole</option><option value="filter">Filter</option><option value="espresso" selected>Espresso</option></select>
      <select name="roast" multiple data-shoptrail-allow><option value="light">Light</option></select>
      <select name="card_type" data-shoptrail-allow><option value="visa" selected>Visa</option></select></form>`;
    const { tracked } = start();
    submit(document.forms[0]!);
    await tasks();
    expect(tracked[0]!.body.values).toEqual({ delivery: 'standard', terms: 'on', interests: 'tea,coffee', country: 'ES', grind: 'whole,espresso' });
    expect(tracked[0]!.body.fields).toEqual(['delivery', 'wrap', 'marketing', 'terms', 'interests', 'country', 'grind', 'roast', 'card_type']);
  });

  it('sends no values when no allowlisted field has a chosen value', async () => {
    document.body.innerHTML = `<form id="register"><input type="checkbox" name="marketing" value="yes" data-shoptrail-allow></form>`;
    const { tracked } = start();
    submit(document.forms[0]!);
    await tasks();
    expect(tracked[0]!.body).not.toHaveProperty('values');
  });

  it('knows secret fields by type, autocomplete and name', () => {
    const field = (html: string) => {
      document.body.innerHTML = html;
      return document.querySelector('input')!;
    };
    for (const html of [
      '<input type="password" name="p">',
      '<input type="hidden" name="t">',
      '<input name="a" autocomplete="cc-number">',
      '<input name="a" autocomplete="billing cc-exp">',
      '<input name="cardNumber">',
      '<input name="cc_num">',
      '<input name="cvv2">',
      '<input name="x" id="cvc">',
      '<input name="iban">',
      '<input name="expiry_date">',
    ]) {
      expect(isSecret(field(html)), html).toBe(true);
    }
    expect(isSecret(field('<input name="email" type="email">'))).toBe(false);
    expect(isSecret(field('<input name="city">'))).toBe(false);
  });

  it('classifies login, register and newsletter forms; email only with identifyByEmail', async () => {
    document.body.innerHTML = `
      <form id="login" action="/account/login"><input type="email" name="customer[email]" value="ada@example.com"><input type="password" name="customer[password]" value="pw"></form>
      <form id="create_customer" action="/account"><input type="email" name="email" value="bob@example.com"><input type="password" name="password" value="pw"></form>
      <form id="mc-embedded-subscribe-form" action="https://x.us1.list-manage.com/subscribe/post"><input type="email" name="EMAIL" value="cy@example.com"></form>
      <form id="footer" class="newsletter-form" data-shoptrail-ignore><input type="email" name="email" value="no@example.com"></form>`;
    const plain = start();
    for (const form of Array.from(document.forms)) submit(form);
    await tasks();
    expect(plain.tracked.map((t) => t.type)).toEqual([
      'web-form-submitted',
      'login',
      'web-form-submitted',
      'register',
      'web-form-submitted',
      'newsletter-subscribe',
    ]);
    expect(JSON.stringify(plain.tracked)).not.toMatch(/@example/);
    expect(plain.identified).toEqual([]);
    uninstall();
    const identifying = start({ identifyByEmail: true });
    submit(document.forms[2]!);
    await tasks();
    expect(identifying.of('newsletter-subscribe')[0]!.body).toEqual({ formId: 'mc-embedded-subscribe-form', email: 'cy@example.com' });
    expect(identifying.identified).toEqual(['cy@example.com']);
  });

  it('leaves search and cart forms to their own modules', async () => {
    document.body.innerHTML = `<form action="/search"><input name="q" value="shoes"></form><form action="/cart/add" method="post"><input name="id" value="1"></form>`;
    const { tracked } = start();
    for (const form of Array.from(document.forms)) submit(form);
    await tasks();
    expect(tracked).toEqual([]);
  });

  it('never throws into the page, even for a form whose action is no URL', async () => {
    document.body.innerHTML = `<form id="odd" action="http://["><input name="q"></form>`;
    const { tracked } = start();
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    window.addEventListener('error', onError);
    expect(() => submit(document.forms[0]!)).not.toThrow();
    await tasks();
    window.removeEventListener('error', onError);
    expect(errors).toEqual([]);
    expect(tracked).toEqual([]);
  });
});
