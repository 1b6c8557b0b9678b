import { circle, line, mirror, poly, rect, type Part, type Silhouette } from './silhouette.js';

/**
 * Front views of the tops and dresses. What tells the shape fields apart at
 * 128 px: sleeves that stop at the elbow or reach the wrist, a round or V
 * neck, a pocket square, the hem of a dress at thigh, calf or ankle, a hood
 * standing behind the neck or lapels folded over the chest.
 */

type Pt = readonly [number, number];

/** A pair of sleeves from the right sleeve's points (the left one is mirrored). */
function sleeves(right: readonly Pt[]): Part[] {
  return [
    { d: poly(mirror(right)), role: 'body' },
    { d: poly(right), role: 'body' },
  ];
}

/** Trim bands across both sleeve ends, from the right sleeve's two outer points. */
function cuffs(a: Pt, b: Pt, width = 3): Part[] {
  const [ma, mb] = mirror([a, b]);
  return [
    { d: line([a, b]), role: 'trimLine', width },
    { d: line([ma!, mb!]), role: 'trimLine', width },
  ];
}

export const tshirt: Silhouette = (s) => {
  const long = s.sleeveLength === 'long';
  const right: Pt[] = long ? [[88, 25], [105, 92], [94, 95], [86, 50]] : [[88, 25], [106, 44], [96, 54], [86, 46]];
  const neck = s.neckline === 'v-neck' ? 'M52 20 L64 38 L76 20' : 'M52 20 Q64 31 76 20';
  const torso = `${neck} L90 26 L86 48 L86 110 L42 110 L42 48 L38 26 Z`;
  const end: [Pt, Pt] = long ? [[105, 92], [94, 95]] : [[106, 44], [96, 54]];
  return [...sleeves(right), { d: torso, role: 'body' }, { d: neck, role: 'trimLine', width: 3 }, ...cuffs(...end)];
};

export const shirt: Silhouette = (s) => {
  const long = s.sleeveLength === 'long';
  const right: Pt[] = long ? [[88, 24], [104, 94], [93, 97], [87, 50]] : [[88, 24], [105, 44], [95, 53], [87, 46]];
  const torso = 'M52 18 L64 34 L76 18 L90 24 L87 48 L87 106 Q64 116 41 106 L41 48 L38 24 Z';
  const parts: Part[] = [...sleeves(right), { d: torso, role: 'body' }];
  parts.push({ d: line([[64, 34], [64, 110]]), role: 'inkLine', width: 1.2 });
  for (const y of [44, 58, 72, 86, 100]) parts.push({ d: circle(64, y, 1.6), role: 'ink' });
  if (s.chestPocket === 'pocket') parts.push({ d: 'M70 50 L82 50 L82 62 L76 65 L70 62 Z', role: 'inkLine', width: 1.4 });
  const collar: Pt[] = [[51, 16], [64, 33], [53, 38], [46, 22]];
  parts.push({ d: poly(collar), role: 'trim' }, { d: poly(mirror(collar)), role: 'trim' });
  if (long) parts.push({ d: poly([[104, 94], [93, 97], [92.2, 92], [103, 89]]), role: 'trim' }, { d: poly(mirror([[104, 94], [93, 97], [92.2, 92], [103, 89]])), role: 'trim' });
  return parts;
};

export const jacket: Silhouette = (s) => {
  const long = s.jacketLength === 'long';
  const hem = long ? 121 : 96;
  const hw = long ? 31 : 28;
  const parts: Part[] = [];
  if (s.collar === 'hood') parts.push({ d: 'M42 32 Q36 2 64 2 Q92 2 86 32 Z', role: 'body' });
  parts.push(...sleeves([[94, 26], [112, 100], [100, 104], [91, 52]]));
  parts.push({ d: `M52 22 L64 36 L76 22 L96 26 L92 50 L${64 + hw} ${hem} L${64 - hw} ${hem} L36 50 L32 26 Z`, role: 'body' });
  if (s.collar === 'hood') {
    parts.push({ d: 'M50 26 Q64 6 78 26 Q64 18 50 26 Z', role: 'ink' });
  } else {
    const lapel: Pt[] = [[52, 22], [64, 58], [60, 60], [44, 40], [48, 34]];
    parts.push({ d: poly(lapel), role: 'body' }, { d: poly(mirror(lapel)), role: 'body' });
  }
  parts.push({ d: line([[64, 36], [64, hem]]), role: 'trimLine', width: 2.6 });
  const py = long ? 88 : 74;
  parts.push({ d: line([[42, py], [52, py + 4]]), role: 'trimLine', width: 2 }, { d: line([[86, py], [76, py + 4]]), role: 'trimLine', width: 2 });
  parts.push(...cuffs([112, 100], [100, 104], 3.5));
  return parts;
};

const DRESS_HEM = { mini: [76, 26], midi: [98, 33], maxi: [121, 38] } as const;

export const dress: Silhouette = (s) => {
  const [hem, hw] = DRESS_HEM[(s.hemLength ?? 'midi') as keyof typeof DRESS_HEM] ?? DRESS_HEM.midi;
  const parts: Part[] = [];
  if (s.sleeveLength === 'long') parts.push(...sleeves([[79, 20], [96, 76], [88, 78], [79, 38]]));
  if (s.sleeveLength === 'short') parts.push(...sleeves([[79, 20], [93, 30], [87, 40], [80, 35]]));
  const sleeveless = s.sleeveLength === 'sleeveless';
  const top = sleeveless ? 'M47 26 Q64 36 81 26' : 'M48 20 Q64 32 80 20';
  const shoulder = sleeveless ? 'L81 30' : 'L81 28';
  parts.push({ d: `${top} ${shoulder} L78 50 L${64 + hw} ${hem} Q64 ${hem + 4} ${64 - hw} ${hem} L50 50 L47 ${sleeveless ? 30 : 28} Z`, role: 'body' });
  if (sleeveless) parts.push({ d: line([[50, 26], [52, 8]]), role: 'inkLine', width: 2.4 }, { d: line([[78, 26], [76, 8]]), role: 'inkLine', width: 2.4 });
  parts.push({ d: rect(49.6, 46, 78.4, 52), role: 'trim' });
  parts.push({ d: line([[58, 53], [64 - hw * 0.45, hem]]), role: 'inkLine', width: 0.8 }, { d: line([[70, 53], [64 + hw * 0.45, hem]]), role: 'inkLine', width: 0.8 });
  return parts;
};
