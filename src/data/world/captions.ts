import type { Rng } from '../../core/rng.js';
import type { Attributes } from '../schema.js';
import {
  CATEGORY_NOUNS,
  CLOSERS,
  COLOUR_WORDS,
  PATTERN_WORDS,
  PLURAL_CATEGORIES,
  SHAPE_WORDS,
  TRIM_WORDS,
  type ShapeWords,
} from './phrases.js';
import { isCategory, isColour, isPattern, referencePrice, shapeFieldsOf, type Category, type Colour, type Pattern } from './vocabulary.js';
import { fail } from '../../core/errors.js';

/**
 * Plain-English titles and captions from a product's attributes. Captions
 * vary (three sentence templates, synonyms, optional clauses) so a text
 * encoder cannot learn one fixed string per attribute combination, yet every
 * caption names the category (or a synonym), the primary colour and the
 * pattern, and every shape field in one of its forms.
 */

export interface CaptionInput {
  category: string;
  attributes: Attributes;
  price: number | null;
}

interface Parsed {
  category: Category;
  primary: Colour;
  secondary: Colour;
  pattern: Pattern;
  shapes: ShapeWords[];
}

function parse(p: CaptionInput): Parsed {
  const { category, attributes: a } = p;
  if (!isCategory(category)) fail('INVALID_ARGUMENT', `unknown category "${category}"`);
  if (!isColour(a.primaryColour) || !isColour(a.secondaryColour)) fail('INVALID_ARGUMENT', `unknown colour on a ${category}`);
  if (!isPattern(a.pattern)) fail('INVALID_ARGUMENT', `unknown pattern "${String(a.pattern)}"`);
  const shapes = shapeFieldsOf(category).map((f) => {
    const words = SHAPE_WORDS[f][String(a[f])];
    if (words === undefined) fail('INVALID_ARGUMENT', `unknown ${f} "${String(a[f])}" on a ${category}`);
    return words;
  });
  return { category, primary: a.primaryColour, secondary: a.secondaryColour, pattern: a.pattern, shapes };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const titleCase = (s: string): string => s.split(' ').map(capitalise).join(' ');
const article = (word: string): string => (/^[aeiouAEIO]/.test(word) ? 'an' : 'a');

/** Short title from the canonical words: "Navy Striped Long-sleeved Shirt". No randomness. */
export function productTitle(p: CaptionInput): string {
  const x = parse(p);
  const nounShape = x.shapes.find((s) => s.noun !== undefined);
  const noun = nounShape?.noun?.[0] ?? CATEGORY_NOUNS[x.category][0]!;
  const adj = x.shapes.find((s) => s !== nounShape)?.adj[0] ?? '';
  const pat = x.pattern === 'solid' ? '' : PATTERN_WORDS[x.pattern].adj[0]!;
  return titleCase([x.primary, pat, adj, noun].filter((w) => w !== '').join(' '));
}

/** Joins clauses: "a", "a and b", "a, b and c". */
function joinAnd(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Joins trailing clauses, saying "with" once: "with short sleeves, a V-neck and red trim, cropped above the ankle". */
function joinClauses(xs: string[]): string {
  const withs = xs.filter((c) => c.startsWith('with ')).map((c, i) => (i === 0 ? c : c.slice(5)));
  const others = xs.filter((c) => !c.startsWith('with '));
  const parts = withs.length > 0 ? [joinAnd(withs), ...others] : others;
  return parts.join(', ');
}

/** Splits shape words into adjectives before the noun and "with" clauses after it. */
function shapeParts(x: Parsed, rng: Rng): { adjs: string[]; withs: string[]; noun: string } {
  const nounShape = x.shapes.find((s) => s.noun !== undefined);
  const shapeNoun = nounShape !== undefined && rng.bool(0.85) ? rng.pick(nounShape.noun!) : undefined;
  const noun = shapeNoun ?? rng.pick(CATEGORY_NOUNS[x.category]);
  const adjs: string[] = [];
  const withs: string[] = [];
  for (const s of x.shapes) {
    if (s === nounShape && shapeNoun !== undefined) continue;
    if (rng.bool(0.5) && s.with.length > 0) withs.push(rng.pick(s.with));
    else adjs.push(rng.pick(s.adj));
  }
  return { adjs, withs, noun };
}

function trimClause(x: Parsed, rng: Rng): string {
  const own = x.shapes.find((s) => s.trim !== undefined)?.trim;
  return `with ${rng.pick(own ?? TRIM_WORDS[x.category]).replace('{c}', rng.pick(COLOUR_WORDS[x.secondary]))}`;
}

function closer(p: CaptionInput, x: Parsed, rng: Rng): string {
  if (!rng.bool(0.45)) return '';
  const ratio = p.price === null ? 1 : p.price / referencePrice(x.category);
  const pool = ratio < 0.75 ? CLOSERS.cheap : ratio > 1.35 ? CLOSERS.premium : CLOSERS.any;
  return ` ${rng.pick(pool)}`;
}

/**
 * A caption for the product, drawn with `rng` (pass a stream derived from the
 * product id for a caption that is stable per product).
 */
export function productCaption(p: CaptionInput, rng: Rng): string {
  const x = parse(p);
  const { adjs, withs, noun } = shapeParts(x, rng);
  const colour = rng.pick(COLOUR_WORDS[x.primary]);
  const second = rng.pick(COLOUR_WORDS[x.secondary]);
  const pw = PATTERN_WORDS[x.pattern];
  const usePatternWith = pw.with.length > 0 && rng.bool(0.5);
  const patternWith = usePatternWith ? rng.pick(pw.with).replace('{c}', second) : '';
  const patternAdj = usePatternWith ? '' : rng.pick(pw.adj);
  // Patterned products in the adjective form still name the second colour: "navy and white striped".
  const colourPhrase = !usePatternWith && x.pattern !== 'solid' ? `${colour} and ${second}` : colour;
  const clauses = [patternWith, ...withs].filter((w) => w !== '');
  if (x.pattern === 'solid' && rng.bool(0.6)) clauses.push(trimClause(x, rng));
  const tail = joinClauses(clauses);
  const plural = PLURAL_CATEGORIES.has(x.category);
  const template = rng.int(3);
  let sentence: string;
  if (template === 0) {
    const head = [...adjs, colourPhrase, patternAdj, noun].filter((w) => w !== '').join(' ');
    const lead = plural ? (rng.bool(0.5) ? 'a pair of ' : '') : `${article(head)} `;
    sentence = capitalise(`${lead}${head} ${tail}.`);
  } else if (template === 1) {
    const head = [colourPhrase, patternAdj, ...adjs, noun].filter((w) => w !== '').join(' ');
    sentence = capitalise(`${head}${tail ? `, ${tail}` : ''}.`);
  } else {
    const head = [...adjs, patternAdj, noun].filter((w) => w !== '').join(' ');
    sentence = `${plural ? 'These' : 'This'} ${head} ${plural ? 'come' : 'comes'} in ${colourPhrase} ${tail}.`;
  }
  return sentence.replace(/\s+/g, ' ').replace(' .', '.') + closer(p, x, rng);
}
