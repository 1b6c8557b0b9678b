/**
 * The synthetic shop's vocabulary: categories, named colours, patterns, the
 * shape fields each category has, and price ranges. Everything else in the
 * world (products, captions, images, tastes) is drawn from these tables, so
 * a new category or colour is added here and nowhere else.
 */

export const CATEGORIES = [
  't-shirt',
  'shirt',
  'dress',
  'skirt',
  'trousers',
  'jacket',
  'sneaker',
  'boot',
  'bag',
  'hat',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Named colours with the RGB the renderer paints; chosen far apart so a person (and a CNN) can tell them apart at 128 px. */
export const COLOURS = {
  black: [28, 28, 30],
  white: [246, 246, 242],
  grey: [140, 140, 140],
  navy: [28, 44, 96],
  blue: [52, 132, 222],
  red: [214, 36, 36],
  pink: [244, 140, 186],
  green: [38, 140, 62],
  yellow: [246, 210, 36],
  orange: [244, 132, 24],
  purple: [126, 58, 164],
  brown: [122, 74, 36],
} as const satisfies Record<string, readonly [number, number, number]>;
export type Colour = keyof typeof COLOURS;
export const COLOUR_NAMES = Object.keys(COLOURS) as Colour[];

export const PATTERNS = ['solid', 'stripes', 'checks', 'dots', 'print'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** Shape fields: name -> values. A field may be shared by several categories (sleeveLength, hemLength). */
export const SHAPE_FIELDS = {
  sleeveLength: ['sleeveless', 'short', 'long'],
  neckline: ['crew', 'v-neck'],
  chestPocket: ['pocket', 'no pocket'],
  hemLength: ['mini', 'midi', 'maxi'],
  silhouette: ['a-line', 'pencil'],
  fit: ['slim', 'straight', 'wide'],
  legLength: ['full', 'cropped'],
  collar: ['hood', 'lapel'],
  jacketLength: ['short', 'long'],
  height: ['low', 'high'],
  sole: ['thin', 'chunky'],
  heelHeight: ['flat', 'mid', 'high'],
  shaft: ['ankle', 'knee'],
  bagStyle: ['tote', 'clutch', 'crossbody'],
  hatStyle: ['cap', 'beanie', 'sunhat'],
} as const satisfies Record<string, readonly string[]>;
export type ShapeField = keyof typeof SHAPE_FIELDS;
export const SHAPE_FIELD_NAMES = Object.keys(SHAPE_FIELDS) as ShapeField[];

export interface CategorySpec {
  /** Shape fields and, per field, the values this category takes (a subset of SHAPE_FIELDS[field]). */
  shapes: Partial<Record<ShapeField, readonly string[]>>;
  /** Price range in the shop's currency; prices are drawn log-uniformly inside it. */
  price: readonly [number, number];
  /** Relative share of the catalog. */
  share: number;
}

export const CATEGORY_SPECS: Readonly<Record<Category, CategorySpec>> = {
  't-shirt': { shapes: { sleeveLength: ['short', 'long'], neckline: ['crew', 'v-neck'] }, price: [12, 45], share: 1.3 },
  shirt: { shapes: { sleeveLength: ['short', 'long'], chestPocket: ['pocket', 'no pocket'] }, price: [25, 90], share: 1 },
  dress: { shapes: { sleeveLength: ['sleeveless', 'short', 'long'], hemLength: ['mini', 'midi', 'maxi'] }, price: [30, 180], share: 1.2 },
  skirt: { shapes: { hemLength: ['mini', 'midi', 'maxi'], silhouette: ['a-line', 'pencil'] }, price: [25, 110], share: 0.9 },
  trousers: { shapes: { fit: ['slim', 'straight', 'wide'], legLength: ['full', 'cropped'] }, price: [30, 120], share: 1 },
  jacket: { shapes: { collar: ['hood', 'lapel'], jacketLength: ['short', 'long'] }, price: [60, 300], share: 0.8 },
  sneaker: { shapes: { height: ['low', 'high'], sole: ['thin', 'chunky'] }, price: [45, 180], share: 1 },
  boot: { shapes: { heelHeight: ['flat', 'mid', 'high'], shaft: ['ankle', 'knee'] }, price: [70, 260], share: 0.7 },
  bag: { shapes: { bagStyle: ['tote', 'clutch', 'crossbody'] }, price: [30, 250], share: 0.8 },
  hat: { shapes: { hatStyle: ['cap', 'beanie', 'sunhat'] }, price: [12, 60], share: 0.6 },
};

export function isCategory(x: unknown): x is Category {
  return typeof x === 'string' && (CATEGORIES as readonly string[]).includes(x);
}

export function isColour(x: unknown): x is Colour {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(COLOURS, x);
}

export function isPattern(x: unknown): x is Pattern {
  return typeof x === 'string' && (PATTERNS as readonly string[]).includes(x);
}

/** The shape fields of a category, in a fixed order. */
export function shapeFieldsOf(category: Category): ShapeField[] {
  return Object.keys(CATEGORY_SPECS[category].shapes) as ShapeField[];
}

/**
 * The reference price of a category: the geometric middle of its range. The
 * utility's price term is relative to it, so a 40 t-shirt is "expensive"
 * while a 40 jacket is cheap.
 */
export function referencePrice(category: Category): number {
  const [lo, hi] = CATEGORY_SPECS[category].price;
  return Math.sqrt(lo * hi);
}

/** The vocabulary as plain JSON, for world.json. */
export function vocabularyJson(): Record<string, unknown> {
  return {
    categories: [...CATEGORIES],
    colours: Object.fromEntries(COLOUR_NAMES.map((c) => [c, [...COLOURS[c]]])),
    patterns: [...PATTERNS],
    shapeFields: Object.fromEntries(SHAPE_FIELD_NAMES.map((f) => [f, [...SHAPE_FIELDS[f]]])),
    categoryShapes: Object.fromEntries(
      CATEGORIES.map((c) => [c, Object.fromEntries(Object.entries(CATEGORY_SPECS[c].shapes).map(([f, v]) => [f, [...v]]))]),
    ),
    priceRanges: Object.fromEntries(CATEGORIES.map((c) => [c, [...CATEGORY_SPECS[c].price]])),
  };
}
