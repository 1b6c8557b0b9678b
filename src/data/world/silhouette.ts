/**
 * What a category's drawing is made of: SVG path data with a role that says
 * how the renderer paints it. Coordinates are in a 128 x 128 box with the
 * product centred; the renderer adds pose and lighting.
 */

/**
 * - body: filled with the fabric (primary colour + pattern), outlined, lit;
 * - trim: filled with the secondary colour (collars, soles, belts), outlined;
 * - trimLine: a stroke in the secondary colour over a thin dark edge (neckbands, handles, laces);
 * - ink: filled dark (buttons, openings);
 * - inkLine: a thin dark stroke (seams, creases, pockets).
 */
export type PartRole = 'body' | 'trim' | 'trimLine' | 'ink' | 'inkLine';

export interface Part {
  d: string;
  role: PartRole;
  /** Stroke width for trimLine and inkLine. */
  width?: number;
}

/** Draws one category from its shape fields (e.g. { sleeveLength: 'long', neckline: 'crew' }). */
export type Silhouette = (shape: Readonly<Record<string, string>>) => Part[];

type Pt = readonly [number, number];

const f = (x: number): string => String(Math.round(x * 100) / 100);

/** A closed polygon. */
export function poly(points: readonly Pt[]): string {
  return `M${points.map(([x, y]) => `${f(x)} ${f(y)}`).join(' L')} Z`;
}

/** The same points mirrored about the vertical centre line x = 64. */
export function mirror(points: readonly Pt[]): Pt[] {
  return points.map(([x, y]) => [128 - x, y] as const);
}

/** A closed ellipse as path data. */
export function ellipse(cx: number, cy: number, rx: number, ry: number): string {
  return `M${f(cx - rx)} ${f(cy)} A${f(rx)} ${f(ry)} 0 1 0 ${f(cx + rx)} ${f(cy)} A${f(rx)} ${f(ry)} 0 1 0 ${f(cx - rx)} ${f(cy)} Z`;
}

export function circle(cx: number, cy: number, r: number): string {
  return ellipse(cx, cy, r, r);
}

/** An axis-aligned rectangle, optionally with rounded corners of radius r. */
export function rect(x0: number, y0: number, x1: number, y1: number, r = 0): string {
  if (r <= 0) return poly([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);
  return (
    `M${f(x0 + r)} ${f(y0)} L${f(x1 - r)} ${f(y0)} Q${f(x1)} ${f(y0)} ${f(x1)} ${f(y0 + r)} ` +
    `L${f(x1)} ${f(y1 - r)} Q${f(x1)} ${f(y1)} ${f(x1 - r)} ${f(y1)} L${f(x0 + r)} ${f(y1)} ` +
    `Q${f(x0)} ${f(y1)} ${f(x0)} ${f(y1 - r)} L${f(x0)} ${f(y0 + r)} Q${f(x0)} ${f(y0)} ${f(x0 + r)} ${f(y0)} Z`
  );
}

/** An open polyline. */
export function line(points: readonly Pt[]): string {
  return `M${points.map(([x, y]) => `${f(x)} ${f(y)}`).join(' L')}`;
}

export { f as fmt };
