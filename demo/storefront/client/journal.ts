// Articles of the journal, the shop's single-page section: /journal/?article=<slug>.
export interface Article {
  slug: string;
  title: string;
  date: string;
  paragraphs: string[];
}

export const ARTICLES: Article[] = [
  {
    slug: 'pour-over-basics',
    title: 'Pour-over basics: a better cup in four minutes',
    date: '2026-11-02',
    paragraphs: [
      'Start with 15 g of coffee ground like coarse sand and 250 g of water just off the boil.',
      'Bloom with twice the weight of the coffee in water, wait thirty seconds, then pour in slow circles.',
      'Aim to finish draining around the three-minute mark. Too fast? Grind finer. Too slow? Coarser.',
    ],
  },
  {
    slug: 'meet-the-growers-huila',
    title: 'Meet the growers: a week in Huila',
    date: '2026-10-18',
    paragraphs: [
      'Our Colombia comes from forty families around Pitalito who dry their coffee on raised beds.',
      'We pay a fixed price agreed before the harvest, well above the market, and visit every year.',
    ],
  },
  {
    slug: 'green-tea-temperature',
    title: 'Why green tea hates boiling water',
    date: '2026-09-30',
    paragraphs: [
      'Boiling water scalds the leaves and pulls out bitter catechins before the sweetness arrives.',
      'Let the kettle rest for three minutes, or use 70 °C if yours has a dial. Steep for ninety seconds.',
    ],
  },
];

export const articleUrl = (article: Article): string => `/journal/?article=${article.slug}`;
