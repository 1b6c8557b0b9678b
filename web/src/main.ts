import './styles/base.css';
import './styles/shop.css';
import './styles/admin.css';
import { h } from './core/dom.js';
import { startRouter } from './core/router.js';
import { header } from './components/header.js';
import { registerPages } from './pages/index.js';

/** The web UI's entry: the frame (header, outlet, footer), the pages table, the router. */
registerPages();
const outlet = h('div', { id: 'outlet' });
const footer = h(
  'footer',
  { class: 'footer' },
  h('div', { class: 'wrap' }, 'vitrine · recommendations that see and imagine · ', h('a', { href: '/docs' }, 'API docs'), ' · ', h('a', { href: '/admin', 'data-link': true }, 'dashboard')),
);
document.getElementById('app')!.replaceChildren(header(), outlet, footer);
startRouter(outlet);
