// The shop's catalogue: the product pages, category pages and search results are made from it.
export type Category = 'coffee' | 'tea' | 'brewing';

export interface Product {
  id: string;
  sku: string;
  name: string;
  category: Category;
  price: number;
  /** What the picture shows: a coffee bag, a tea tin or a piece of brewing gear. */
  art: 'bag' | 'tin' | 'gear';
  tone: string;
  inStock: boolean;
  blurb: string;
  /** Choices shown on the product page; the first is the default variant. */
  variants: { id: string; label: string }[];
}

export const CURRENCY = 'EUR';

export const CATEGORIES: Record<Category, { title: string; intro: string }> = {
  coffee: { title: 'Coffee', intro: 'Single origins and blends, roasted every Tuesday in small batches.' },
  tea: { title: 'Tea', intro: 'Loose-leaf teas from gardens we buy from directly.' },
  brewing: { title: 'Brewing gear', intro: 'Everything you need for a better cup at home.' },
};

const grinds = (id: string) => [
  { id: `${id}-whole`, label: 'Whole bean' },
  { id: `${id}-filter`, label: 'Ground for filter' },
  { id: `${id}-espresso`, label: 'Ground for espresso' },
];

export const PRODUCTS: Product[] = [
  {
    id: 'ethiopia-yirgacheffe',
    sku: 'RC-ETH-250',
    name: 'Ethiopia Yirgacheffe',
    category: 'coffee',
    price: 14.5,
    art: 'bag',
    tone: '#b5651d',
    inStock: true,
    variants: grinds('ethiopia-yirgacheffe'),
    blurb: 'Washed heirloom varieties from Gedeo. Jasmine, bergamot and a clean lemon finish. 250 g.',
  },
  {
    id: 'colombia-huila',
    sku: 'RC-COL-250',
    name: 'Colombia Huila',
    category: 'coffee',
    price: 12.9,
    art: 'bag',
    tone: '#7a4e2d',
    inStock: true,
    variants: grinds('colombia-huila'),
    blurb: 'Caramel, red apple and milk chocolate from smallholders around Pitalito. 250 g.',
  },
  {
    id: 'house-espresso',
    sku: 'RC-ESP-500',
    name: 'House Espresso Blend',
    category: 'coffee',
    price: 18.9,
    art: 'bag',
    tone: '#3e2a1e',
    inStock: true,
    variants: grinds('house-espresso'),
    blurb: 'Brazil and Guatemala for a syrupy shot with cocoa and hazelnut. 500 g.',
  },
  {
    id: 'decaf-mexico',
    sku: 'RC-DEC-250',
    name: 'Decaf Mexico',
    category: 'coffee',
    price: 13.5,
    art: 'bag',
    tone: '#5c6b3a',
    inStock: false,
    variants: grinds('decaf-mexico'),
    blurb: 'Mountain-water decaffeinated, with brown sugar and almond. Back in stock soon. 250 g.',
  },
  {
    id: 'sencha-kyoto',
    sku: 'RT-SEN-100',
    name: 'Sencha Kyoto',
    category: 'tea',
    price: 9.8,
    art: 'tin',
    tone: '#6f8f3a',
    inStock: true,
    variants: [
      { id: 'sencha-kyoto-100', label: '100 g tin' },
      { id: 'sencha-kyoto-250', label: '250 g refill' },
    ],
    blurb: 'Steamed green tea from Uji. Grassy, sweet and bright. Brew at 70 °C.',
  },
  {
    id: 'assam-breakfast',
    sku: 'RT-ASM-125',
    name: 'Assam Breakfast',
    category: 'tea',
    price: 7.5,
    art: 'tin',
    tone: '#8c2f24',
    inStock: true,
    variants: [{ id: 'assam-breakfast-125', label: '125 g tin' }],
    blurb: 'A malty second-flush Assam that stands up to milk. 125 g.',
  },
  {
    id: 'pour-over-dripper',
    sku: 'RB-DRP-02',
    name: 'Ceramic Pour-over Dripper',
    category: 'brewing',
    price: 24,
    art: 'gear',
    tone: '#d9d2c5',
    inStock: true,
    variants: [
      { id: 'pour-over-dripper-white', label: 'Chalk white' },
      { id: 'pour-over-dripper-slate', label: 'Slate' },
    ],
    blurb: 'Hand-thrown in Limoges, size 02, for one to four cups.',
  },
  {
    id: 'gooseneck-kettle',
    sku: 'RB-KET-1L',
    name: 'Gooseneck Kettle',
    category: 'brewing',
    price: 49,
    art: 'gear',
    tone: '#2f3b45',
    inStock: true,
    variants: [{ id: 'gooseneck-kettle-1l', label: '1 litre' }],
    blurb: 'Stovetop kettle with a slim spout for a slow, even pour.',
  },
];

export const productUrl = (product: Product): string => `/products/${product.id}.html`;

export const formatPrice = (amount: number): string => `€${amount.toFixed(2)}`;

/** Products whose name, category or description contains every word of the query. */
export const searchProducts = (query: string): Product[] => {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  return PRODUCTS.filter((product) => {
    const text = `${product.name} ${product.category} ${product.blurb}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
};
