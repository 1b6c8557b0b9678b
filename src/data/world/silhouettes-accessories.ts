import { circle, ellipse, line, poly, rect, type Part, type Silhouette } from './silhouette.js';

/**
 * Side views of shoes (toe to the right before any flip) and front views of
 * bags and hats. What tells the shape fields apart: a low or high collar and
 * a thin or chunky sole (sneakers), the heel block and the shaft reaching the
 * ankle or the knee (boots), handles, a flap or a long strap (bags), a peak,
 * a cuff and pompom or a wide brim (hats).
 */

export const sneaker: Silhouette = (s) => {
  const t = s.sole === 'chunky' ? 83 : 92;
  const mid = (t + 100) / 2;
  const sole = `M18 ${t} L108 ${t} Q116 ${t} 115 ${mid} Q114 100 106 100 L22 100 Q15 100 15 ${mid} Q15 ${t} 18 ${t} Z`;
  const high = s.height === 'high';
  const upper = high
    ? `M20 ${t} L22 30 Q24 25 33 25 L50 27 L57 23 L63 29 L67 52 Q88 64 106 78 Q115 85 111 ${t} Z`
    : `M20 ${t} L22 62 Q26 57 35 59 L50 64 L58 53 L64 56 Q88 65 106 78 Q115 85 111 ${t} Z`;
  const parts: Part[] = [{ d: upper, role: 'body' }, { d: sole, role: 'trim' }];
  if (s.sole === 'chunky') parts.push({ d: line([[20, mid + 2], [110, mid + 2]]), role: 'inkLine', width: 1 });
  parts.push({ d: `M95 72 Q103 80 101 ${t}`, role: 'inkLine', width: 1 });
  const laces = high ? 6 : 4;
  const [x0, y0, x1, y1] = high ? [60, 32, 84, 68] : [62, 60, 86, 70];
  for (let i = 0; i < laces; i++) {
    const k = i / (laces - 1);
    const x = x0 + (x1 - x0) * k;
    const y = y0 + (y1 - y0) * k;
    parts.push({ d: line([[x - 4, y + 3], [x + 4, y - 3]]), role: 'trimLine', width: 2.2 });
  }
  return parts;
};

const HEEL = { flat: 0, mid: 14, high: 28 } as const;

export const boot: Silhouette = (s) => {
  const g = 114;
  const h = HEEL[(s.heelHeight ?? 'flat') as keyof typeof HEEL] ?? 0;
  const top = s.shaft === 'knee' ? 8 : g - h - 56;
  const ankle = g - h - 30;
  const backTop = s.shaft === 'knee' ? 20 : 23;
  const upper =
    `M21 ${g - h - 5} L${backTop} ${top} L${s.shaft === 'knee' ? 60 : 57} ${top} L58 ${ankle} ` +
    `Q72 ${ankle + 10} 98 ${g - 20} Q112 ${g - 14} 108 ${g - 5} L78 ${g - 5} L38 ${g - h - 5} Z`;
  const parts: Part[] = [{ d: upper, role: 'body' }];
  if (h === 0) {
    parts.push({ d: `M20 ${g - 6} L108 ${g - 6} Q112 ${g - 3} 108 ${g} L22 ${g} Q18 ${g - 3} 20 ${g - 6} Z`, role: 'trim' });
  } else {
    const sole = poly([[20, g - h - 6], [38, g - h - 6], [78, g - 6], [108, g - 6], [110, g - 3], [106, g], [78, g], [38, g - h]]);
    const heel = h > 20 ? poly([[22, g - h], [37, g - h], [33, g], [29, g]]) : rect(21, g - h, 37, g);
    parts.push({ d: heel, role: 'trim' }, { d: sole, role: 'trim' });
  }
  if (s.shaft === 'knee') parts.push({ d: line([[54, top + 6], [56, ankle]]), role: 'inkLine', width: 1.2 });
  parts.push({ d: line([[backTop, top + 5], [s.shaft === 'knee' ? 60 : 57, top + 5]]), role: 'trimLine', width: 2.5 });
  return parts;
};

export const bag: Silhouette = (s) => {
  if (s.bagStyle === 'clutch') {
    return [
      { d: rect(16, 50, 112, 98, 6), role: 'body' },
      { d: poly([[16, 52], [112, 52], [64, 82]]), role: 'body' },
      { d: circle(64, 80, 4), role: 'trim' },
    ];
  }
  if (s.bagStyle === 'crossbody') {
    return [
      { d: 'M38 66 C28 2 100 2 90 66', role: 'trimLine', width: 2.6 },
      { d: rect(34, 62, 94, 110, 10), role: 'body' },
      { d: 'M34 72 Q34 62 44 62 L84 62 Q94 62 94 72 L94 86 Q64 97 34 86 Z', role: 'body' },
      { d: rect(60, 86, 68, 95, 1.5), role: 'trim' },
    ];
  }
  return [
    { d: 'M40 56 C40 16 62 16 62 56', role: 'trimLine', width: 4 },
    { d: 'M66 56 C66 16 88 16 88 56', role: 'trimLine', width: 4 },
    { d: poly([[32, 52], [96, 52], [104, 114], [24, 114]]), role: 'body' },
    { d: line([[32.5, 58], [95.5, 58]]), role: 'inkLine', width: 1 },
  ];
};

export const hat: Silhouette = (s) => {
  if (s.hatStyle === 'beanie') {
    const ribs: Part[] = [38, 46, 54, 62, 70, 78, 86].map((x) => ({ d: line([[x + 2, 81], [x + 2, 95]]), role: 'inkLine', width: 0.8 }));
    return [
      { d: 'M32 92 L32 62 Q32 30 64 30 Q96 30 96 62 L96 92 Z', role: 'body' },
      { d: rect(29, 78, 99, 98, 3), role: 'trim' },
      ...ribs,
      { d: circle(64, 25, 10), role: 'trim' },
    ];
  }
  if (s.hatStyle === 'sunhat') {
    return [
      { d: ellipse(64, 84, 57, 15), role: 'body' },
      { d: 'M38 86 L40 56 Q42 40 64 40 Q86 40 88 56 L90 86 Q64 92 38 86 Z', role: 'body' },
      { d: 'M39.3 68 L88.7 68 L89.3 78 L38.7 78 Z', role: 'trim' },
    ];
  }
  return [
    { d: 'M86 78 Q112 72 122 86 Q104 92 84 88 Z', role: 'trim' },
    { d: 'M20 84 Q18 34 60 34 Q98 34 98 84 Q60 90 20 84 Z', role: 'body' },
    { d: 'M60 36 Q46 56 44 86', role: 'inkLine', width: 1 },
    { d: 'M60 36 Q76 56 78 86', role: 'inkLine', width: 1 },
    { d: circle(60, 35, 3.2), role: 'trim' },
  ];
};
