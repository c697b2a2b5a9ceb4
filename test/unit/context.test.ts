import { afterEach, describe, expect, it } from 'vitest';
import { createContext, readUtm } from '../../src/context';

afterEach(() => history.replaceState(null, '', '/'));

describe('readUtm', () => {
  it('reads campaign parameters and click ids', () => {
    expect(readUtm('?utm_source=news&utm_medium=email&utm_campaign=autumn&utm_content=hero&utm_term=tea&fbclid=F1&msclkid=M1&x=1')).toEqual({
      source: 'news',
      medium: 'email',
      campaign: 'autumn',
      content: 'hero',
      term: 'tea',
      fbclid: 'F1',
      msclkid: 'M1',
    });
    expect(readUtm('?q=tea')).toBeUndefined();
  });
});

describe('context', () => {
  it('is shared by reference while the page is unchanged', () => {
    const context = createContext(undefined);
    expect(context.current()).toBe(context.current());
  });

  it('follows SPA navigation and makes the previous page the referrer', async () => {
    const context = createContext({ source: 'news' });
    const first = context.current();
    await Promise.resolve(); // the next task (or microtask) looks at the URL again
    history.pushState(null, '', '/journal/brew?token=secret');
    const second = context.current();
    expect(second).not.toBe(first);
    expect(second.page.path).toBe('/journal/brew');
    expect(second.page.url).not.toContain('secret');
    expect(second.page.referrer).toBe(first.page.url);
    expect(second.utm).toEqual({ source: 'news' });
  });

  it('looks at the URL once per task, unless told a navigation happened', () => {
    const context = createContext(undefined);
    const first = context.current();
    history.pushState(null, '', '/cart');
    expect(context.current()).toBe(first);
    context.refresh();
    expect(context.current().page.path).toBe('/cart');
  });

  it('picks up a new title without a new referrer', async () => {
    const context = createContext(undefined);
    const first = context.current();
    await Promise.resolve();
    document.title = 'Cart (2)';
    const second = context.current();
    expect(second.page.title).toBe('Cart (2)');
    expect(second.page.referrer).toBe(first.page.referrer);
  });
});
