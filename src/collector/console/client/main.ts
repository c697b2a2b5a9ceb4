// The console's shell: sign-in, the navigation and a hash router (#/usage, #/live, …). Each
// page renders into <main> and may return a stop function (the live page's polling).
import { call, type Session, send, whenSignedOut } from './api';
import { clearCharts } from './chart';
import { h } from './dom';
import { contentPage } from './pages/content';
import { exportPage } from './pages/exportPage';
import { livePage } from './pages/live';
import { profilePage, profilesPage } from './pages/profiles';
import { reportsPage } from './pages/reports';
import { usagePage } from './pages/usage';

const app = document.getElementById('app')!;

const PAGES: Array<[string, string]> = [
  ['usage', 'Usage'],
  ['live', 'Right now'],
  ['content', 'Content'],
  ['profiles', 'Profiles'],
  ['reports', 'Reports'],
  ['export', 'Export'],
];

const signIn = (message = '') => {
  const key = h('input', { id: 'key', type: 'password', name: 'key', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' }, message);
  const form = h(
    'form',
    {
      class: 'card signin',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        error.textContent = '';
        try {
          await send('/admin/session', 'POST', { key: key.value });
          key.value = '';
          await start();
        } catch (err) {
          error.textContent = (err as Error).message;
          key.focus();
        }
      },
    },
    h('h1', {}, 'Shoptrail console'),
    h('p', {}, 'Sign in with the admin key of your entity. The key is not stored in this browser: a session cookie keeps you signed in for 12 hours.'),
    h('label', { for: 'key' }, 'Admin key'),
    key,
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  app.replaceChildren(h('main', { id: 'main' }, form));
  key.focus();
};

let stop: (() => void) | undefined;

const route = async (session: Session, main: HTMLElement, nav: HTMLElement) => {
  stop?.();
  stop = undefined;
  clearCharts();
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [page = 'usage', arg] = path.split('/');
  for (const a of nav.querySelectorAll('a')) a.toggleAttribute('aria-current', a.getAttribute('href') === `#/${page}`);
  document.title = `${PAGES.find(([p]) => p === page)?.[1] ?? 'Usage'} · ${session.entity} · Shoptrail console`;
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    if (page === 'live') stop = await livePage(main, session);
    else if (page === 'content') await contentPage(main);
    else if (page === 'profiles' && arg) await profilePage(main, decodeURIComponent(arg));
    else if (page === 'profiles') await profilesPage(main, new URLSearchParams(query).get('q') ?? '');
    else if (page === 'reports') await reportsPage(main, session);
    else if (page === 'export') exportPage(main);
    else await usagePage(main, session);
  } catch (error) {
    main.replaceChildren(
      h('h1', {}, 'Something went wrong'),
      h('p', { class: 'error', role: 'alert' }, (error as Error).message),
      h('p', {}, 'Reload the page to try again.'),
    );
  }
  main.focus({ preventScroll: true });
};

const start = async () => {
  let session: Session | { signedIn: false };
  try {
    session = await call<Session | { signedIn: false }>('/session');
  } catch (error) {
    return signIn((error as Error).message);
  }
  if (!session.signedIn) return signIn();
  const nav = h('nav', { 'aria-label': 'Console' }, ...PAGES.map(([p, label]) => h('a', { href: `#/${p}` }, label)));
  const main = h('main', { id: 'main', tabindex: -1 });
  const signOut = h(
    'button',
    { type: 'button', class: 'link', onclick: async () => (stop?.(), await send('/admin/session', 'DELETE'), signIn('You are signed out.')) },
    'Sign out',
  );
  app.replaceChildren(
    h(
      'header',
      {},
      h('a', { class: 'brand', href: '#/usage' }, 'Shoptrail'),
      h('span', { class: 'entity', 'data-figure': 'entity' }, `Entity: ${session.entity}`),
      signOut,
      nav,
    ),
    main,
  );
  window.onhashchange = () => route(session as Session, main, nav);
  await route(session as Session, main, nav);
};

whenSignedOut(() => {
  stop?.();
  window.onhashchange = null;
  signIn('Your session has ended. Sign in again.');
});
void start();
