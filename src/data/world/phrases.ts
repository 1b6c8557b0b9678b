import type { Category, Colour, Pattern, ShapeField } from './vocabulary.js';

/**
 * The words captions are built from: synonyms per category, colour and
 * pattern, and for each shape value an adjective form ("long-sleeved") and a
 * "with ..." form ("with long sleeves"). Kept apart from the templates so the
 * wording can grow without touching the logic.
 */

/** Nouns per category; the first is the canonical one used in titles. */
export const CATEGORY_NOUNS: Readonly<Record<Category, readonly string[]>> = {
  't-shirt': ['t-shirt', 'tee', 'T-shirt'],
  shirt: ['shirt', 'button-up shirt'],
  dress: ['dress', 'frock'],
  skirt: ['skirt'],
  trousers: ['trousers', 'pants'],
  jacket: ['jacket'],
  sneaker: ['sneakers', 'trainers'],
  boot: ['boots'],
  bag: ['bag', 'handbag'],
  hat: ['hat'],
};

/** Categories named in the plural ("a pair of ..."). */
export const PLURAL_CATEGORIES: ReadonlySet<Category> = new Set(['trousers', 'sneaker', 'boot']);

/** The part the secondary colour paints on a product (see render); `{c}` is the secondary colour. */
export const TRIM_WORDS: Readonly<Record<Category, readonly string[]>> = {
  't-shirt': ['{c} trim', 'a {c} neckband and cuffs'],
  shirt: ['a {c} collar', 'a contrast {c} collar'],
  dress: ['a {c} belt', 'a {c} waist belt'],
  skirt: ['a {c} waistband'],
  trousers: ['a {c} waistband'],
  jacket: ['{c} trim', 'a {c} zip and pocket trim'],
  sneaker: ['{c} soles and laces', '{c} laces and soles'],
  boot: ['{c} soles', 'a {c} sole and heel'],
  bag: ['{c} trim'],
  hat: ['{c} trim'],
};

export const COLOUR_WORDS: Readonly<Record<Colour, readonly string[]>> = {
  black: ['black', 'jet black'],
  white: ['white', 'bright white'],
  grey: ['grey'],
  navy: ['navy', 'navy blue'],
  blue: ['blue', 'sky blue'],
  red: ['red', 'bright red'],
  pink: ['pink'],
  green: ['green'],
  yellow: ['yellow', 'sunny yellow'],
  orange: ['orange'],
  purple: ['purple'],
  brown: ['brown', 'chocolate brown'],
};

export interface PatternWords {
  /** Adjectives before the noun; '' means the pattern goes unmentioned in that form. */
  adj: readonly string[];
  /** "with {secondary} ..." forms; `{c}` is replaced by the secondary colour. */
  with: readonly string[];
}

export const PATTERN_WORDS: Readonly<Record<Pattern, PatternWords>> = {
  solid: { adj: ['solid', 'plain', ''], with: [] },
  stripes: { adj: ['striped', 'stripy'], with: ['with {c} stripes', 'in a {c} stripe'] },
  checks: { adj: ['checked', 'gingham'], with: ['with a {c} check', 'in {c} checks'] },
  dots: { adj: ['polka-dot', 'dotted'], with: ['with {c} polka dots', 'covered in {c} dots'] },
  print: { adj: ['floral-print', 'printed'], with: ['with a {c} floral print', 'in a {c} flower print'] },
};

export interface ShapeWords {
  adj: readonly string[];
  with: readonly string[];
  /** Replaces the category noun (bag and hat styles, long jackets); each must name the value. */
  noun?: readonly string[];
  /** Replaces the category's trim words when this value has its own trimmed part. */
  trim?: readonly string[];
}

type ShapePhrasebook = { readonly [F in ShapeField]: Readonly<Record<string, ShapeWords>> };

export const SHAPE_WORDS: ShapePhrasebook = {
  sleeveLength: {
    sleeveless: { adj: ['sleeveless'], with: ['with no sleeves', 'with thin straps'] },
    short: { adj: ['short-sleeved', 'short-sleeve'], with: ['with short sleeves'] },
    long: { adj: ['long-sleeved', 'long-sleeve'], with: ['with long sleeves', 'with full-length sleeves'] },
  },
  neckline: {
    crew: { adj: ['crew-neck', 'round-neck'], with: ['with a crew neck', 'with a round neckline'] },
    'v-neck': { adj: ['V-neck'], with: ['with a V-neck', 'with a V neckline'] },
  },
  chestPocket: {
    pocket: { adj: ['patch-pocket'], with: ['with a chest pocket', 'with a breast pocket'] },
    'no pocket': { adj: ['clean-front'], with: ['with a clean front', 'without pockets'] },
  },
  hemLength: {
    mini: { adj: ['mini', 'short'], with: ['with a mini hem', 'cut above the knee'] },
    midi: { adj: ['midi', 'knee-length'], with: ['with a midi hem', 'falling below the knee'] },
    maxi: { adj: ['maxi', 'floor-length'], with: ['with a maxi hem', 'reaching the ankles'] },
  },
  silhouette: {
    'a-line': { adj: ['A-line', 'flared'], with: ['with an A-line cut', 'that flares out'] },
    pencil: { adj: ['pencil', 'straight'], with: ['with a pencil cut', 'with a slim straight cut'] },
  },
  fit: {
    slim: { adj: ['slim-fit', 'skinny'], with: ['with a slim fit', 'with narrow legs'] },
    straight: { adj: ['straight-leg', 'regular-fit'], with: ['with straight legs', 'with a regular fit'] },
    wide: { adj: ['wide-leg', 'palazzo'], with: ['with wide legs', 'with a loose wide fit'] },
  },
  legLength: {
    full: { adj: ['full-length'], with: ['in full length'] },
    cropped: { adj: ['cropped', 'ankle-length'], with: ['cropped above the ankle', 'with a cropped leg'] },
  },
  collar: {
    hood: { adj: ['hooded'], with: ['with a hood'] },
    lapel: { adj: ['lapel-collar', 'tailored'], with: ['with lapels', 'with a notched lapel'] },
  },
  jacketLength: {
    short: { adj: ['short', 'cropped'], with: ['cut at the waist'] },
    long: { adj: ['long', 'knee-length'], with: ['that reaches the knee'], noun: ['coat', 'long jacket'] },
  },
  height: {
    low: { adj: ['low-top', 'low-cut'], with: ['with a low ankle'] },
    high: { adj: ['high-top'], with: ['with a high ankle', 'that covers the ankle'] },
  },
  sole: {
    thin: { adj: ['slim-soled', 'flat-soled'], with: ['with a thin sole'] },
    chunky: { adj: ['chunky', 'platform'], with: ['with a chunky sole', 'on a thick platform sole'] },
  },
  heelHeight: {
    flat: { adj: ['flat'], with: ['with a flat heel', 'with no heel'] },
    mid: { adj: ['mid-heel', 'block-heel'], with: ['with a mid heel', 'on a low block heel'] },
    high: { adj: ['high-heeled', 'heeled'], with: ['with a high heel', 'on a tall heel'] },
  },
  shaft: {
    ankle: { adj: ['ankle'], with: ['cut at the ankle'], noun: ['ankle boots'] },
    knee: { adj: ['knee-high', 'tall'], with: ['that reach the knee'], noun: ['knee boots', 'knee-high boots'] },
  },
  bagStyle: {
    tote: { adj: ['tote'], with: ['with two top handles'], noun: ['tote bag', 'tote', 'shopper tote'], trim: ['{c} handles'] },
    clutch: { adj: ['clutch'], with: ['with a fold-over flap'], noun: ['clutch', 'clutch bag', 'evening clutch'], trim: ['a {c} clasp'] },
    crossbody: { adj: ['crossbody'], with: ['with a long strap'], noun: ['crossbody bag', 'crossbody shoulder bag'], trim: ['a {c} strap'] },
  },
  hatStyle: {
    cap: { adj: ['peaked'], with: ['with a curved peak'], noun: ['cap', 'baseball cap'], trim: ['a {c} peak', 'a {c} peak and button'] },
    beanie: { adj: ['knitted'], with: ['with a pompom'], noun: ['beanie', 'knit beanie'], trim: ['a {c} cuff and pompom'] },
    sunhat: { adj: ['wide-brimmed'], with: ['with a wide brim'], noun: ['sun hat', 'wide sun hat'], trim: ['a {c} band', 'a {c} ribbon'] },
  },
};

/** Optional closing sentences; chosen by price tier or at random. */
export const CLOSERS = {
  cheap: ['A budget-friendly pick.', 'Great value.', 'An affordable everyday piece.'],
  premium: ['A premium piece.', 'Carefully made from quality materials.', 'An investment piece.'],
  any: ['Easy to wear every day.', 'A wardrobe staple.', 'Made for the weekend.', 'Pairs with almost anything.', 'A fresh pick for the season.'],
} as const;
