import { h } from '../core/dom.js';

/**
 * An upload box (paper 002's interface: "users easily upload images of
 * products they are interested in"): drop a photo on it, or click to choose
 * a file. Calls `onFile` with the image.
 */
export function photoDrop(onFile: (file: File) => void): HTMLElement {
  const input = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp', class: 'visually-hidden', 'data-testid': 'photo-input' });
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) onFile(f);
    input.value = '';
  });
  const zone = h(
    'label',
    { class: 'dropzone', 'data-testid': 'dropzone' },
    input,
    h('span', { class: 'dropzone-icon', 'aria-hidden': 'true' }, '⤒'),
    h('strong', null, 'Drop a photo here'),
    h('span', { class: 'muted' }, 'or click to choose one · PNG, JPEG or WebP, up to 5 MB'),
  );
  const over = (on: boolean) => (e: DragEvent): void => {
    e.preventDefault();
    zone.classList.toggle('dropzone-over', on);
  };
  zone.addEventListener('dragenter', over(true));
  zone.addEventListener('dragover', over(true));
  zone.addEventListener('dragleave', over(false));
  zone.addEventListener('drop', (e) => {
    over(false)(e);
    const f = e.dataTransfer?.files?.[0];
    if (f) onFile(f);
  });
  return zone;
}
