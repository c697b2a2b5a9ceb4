// The journal is a single-page section: article links change the URL with history.pushState
// and the back button (popstate) brings the previous article back, without a page load.
import { ARTICLES, articleUrl } from '../journal';
import { $, $$, el } from './dom';

const SHOP = 'Ridgeline Coffee & Tea';

const render = (): void => {
  const slug = new URLSearchParams(location.search).get('article');
  const article = ARTICLES.find((a) => a.slug === slug);
  const target = $('[data-journal-article]');
  if (!target) return;
  for (const link of $$<HTMLAnchorElement>('[data-journal-link]')) {
    if (link.getAttribute('href') === (article ? articleUrl(article) : '/journal/')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!article) {
    target.replaceChildren(
      el('h1', {}, 'Journal'),
      el('p', {}, 'Brewing guides, stories from the farms we buy from, and notes from the roastery. Pick an article.'),
    );
    for (const name of ['data-shoptrail-content', 'data-shoptrail-content-type', 'data-shoptrail-content-name']) target.removeAttribute(name);
    document.title = `Journal · ${SHOP}`;
    return;
  }
  target.setAttribute('data-shoptrail-content', `journal-${article.slug}`);
  target.setAttribute('data-shoptrail-content-type', 'article');
  target.setAttribute('data-shoptrail-content-name', article.title);
  target.replaceChildren(
    el('p', { class: 'kicker' }, el('time', { datetime: article.date }, article.date)),
    el('h1', {}, article.title),
    ...article.paragraphs.map((text) => el('p', {}, text)),
    el('p', {}, el('a', { href: '/category/coffee.html', 'data-shoptrail-link': `journal-shop-${article.slug}` }, 'Shop our coffee →')),
  );
  document.title = `${article.title} · ${SHOP}`;
};

export const startJournal = (): void => {
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.<HTMLAnchorElement>('a[data-journal-link]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    const url = new URL(link.href);
    if (url.href !== location.href) history.pushState({ journal: true }, '', url);
    render();
    scrollTo({ top: 0 });
  });
  addEventListener('popstate', render);
  render();
};
