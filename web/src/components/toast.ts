import { h } from '../core/dom.js';

/** Short confirmations in the corner ("Added to cart: your feed is updating"). */
let box: HTMLElement | undefined;

export function toast(message: string, kind: 'info' | 'error' = 'info'): void {
  if (box === undefined) {
    box = h('div', { class: 'toasts', 'aria-live': 'polite' });
    document.body.append(box);
  }
  const t = h('div', { class: ['toast', kind === 'error' && 'toast-error'] }, message);
  box.append(t);
  setTimeout(() => t.classList.add('toast-out'), 2600);
  setTimeout(() => t.remove(), 3000);
}
