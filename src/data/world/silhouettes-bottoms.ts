import { line, rect, type Part, type Silhouette } from './silhouette.js';

/**
 * Front views of skirts and trousers: a waistband in the secondary colour,
 * then the hem at thigh, calf or ankle (skirts) or the legs narrow, straight
 * or flared and full or cropped (trousers).
 */

const SKIRT_HEM = { mini: 60, midi: 92, maxi: 120 } as const;
/** Half-width at the hem: a-line flares with length, pencil stays narrow. */
const SKIRT_HW = { 'a-line': { mini: 32, midi: 38, maxi: 44 }, pencil: { mini: 22, midi: 21, maxi: 20 } } as const;

export const skirt: Silhouette = (s) => {
  const len = ((s.hemLength ?? 'midi') in SKIRT_HEM ? s.hemLength : 'midi') as keyof typeof SKIRT_HEM;
  const cut = (s.silhouette === 'pencil' ? 'pencil' : 'a-line') as keyof typeof SKIRT_HW;
  const hem = SKIRT_HEM[len];
  const hw = SKIRT_HW[cut][len];
  const parts: Part[] = [{ d: `M42 23 L86 23 L${64 + hw} ${hem} Q64 ${hem + 3} ${64 - hw} ${hem} Z`, role: 'body' }];
  if (cut === 'a-line') {
    for (const x of [54, 74]) parts.push({ d: line([[x, 24], [64 + (x - 64) * (hw / 16), hem]]), role: 'inkLine', width: 0.8 });
  } else if (len !== 'mini') {
    parts.push({ d: line([[64, hem - 18], [64, hem + 2]]), role: 'inkLine', width: 1.2 });
  }
  parts.push({ d: rect(41, 16, 87, 23.5), role: 'trim' });
  return parts;
};

/** Hem x positions: left outer, left inner, right inner, right outer. */
const LEG_X = { slim: [45, 59, 69, 83], straight: [40, 60, 68, 88], wide: [26, 62, 66, 102] } as const;

export const trousers: Silhouette = (s) => {
  const [lo, li, ri, ro] = LEG_X[(s.fit ?? 'straight') as keyof typeof LEG_X] ?? LEG_X.straight;
  const hem = s.legLength === 'cropped' ? 100 : 121;
  const parts: Part[] = [{ d: `M42 19 L86 19 L${ro} ${hem} L${ri} ${hem} L64 46 L${li} ${hem} L${lo} ${hem} Z`, role: 'body' }];
  parts.push({ d: line([[64, 19], [64, 40]]), role: 'inkLine', width: 1 });
  parts.push({ d: 'M44 26 Q50 30 52 20', role: 'inkLine', width: 1 }, { d: 'M84 26 Q78 30 76 20', role: 'inkLine', width: 1 });
  parts.push({ d: line([[53, 30], [(lo + li) / 2, hem]]), role: 'inkLine', width: 0.7 }, { d: line([[75, 30], [(ri + ro) / 2, hem]]), role: 'inkLine', width: 0.7 });
  parts.push({ d: rect(41, 12, 87, 19.5), role: 'trim' });
  return parts;
};
