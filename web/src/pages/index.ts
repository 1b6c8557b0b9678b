import { registerLayout, registerPage } from '../core/router.js';
import { adminLayout } from '../admin/admin-layout.js';
import { shopLayout } from '../components/shop-layout.js';
import { sellerLayout } from '../seller/seller-layout.js';

/**
 * Every page of the UI. To add one (a later feature: image generation, the
 * seller studio), write its module (export `render(ctx)`), and register it
 * here with its path, area and navigation entry; `nav.feature` hides the
 * entry when GET /api/ui/features says the server lacks the feature. Each
 * module is loaded only when its page opens.
 */
export function registerPages(): void {
  registerLayout('shop', shopLayout);
  registerLayout('admin', adminLayout);
  registerLayout('seller', sellerLayout);

  registerPage({ path: '/', title: 'Shop', area: 'shop', nav: { label: 'Shop', order: 10 }, load: () => import('./home.js') });
  registerPage({ path: '/product/:id', title: 'Product', area: 'shop', load: () => import('./product.js') });
  registerPage({ path: '/photo', title: 'Search by photo', area: 'shop', nav: { label: 'Search by photo', order: 20, feature: 'photo' }, load: () => import('./photo.js') });

  registerPage({ path: '/seller', title: 'Your products', area: 'seller', nav: { label: 'Products', order: 10 }, load: () => import('../seller/products.js') });

  registerPage({ path: '/admin', title: 'Overview', area: 'admin', nav: { label: 'Overview', order: 10 }, load: () => import('../admin/overview.js') });
  registerPage({ path: '/admin/experiments', title: 'Experiments', area: 'admin', nav: { label: 'Experiments', order: 20 }, load: () => import('../admin/experiments.js') });
  registerPage({ path: '/admin/models', title: 'Models', area: 'admin', nav: { label: 'Models', order: 30 }, load: () => import('../admin/models.js') });
  registerPage({ path: '/admin/jobs', title: 'Background jobs', area: 'admin', nav: { label: 'Jobs', order: 40 }, load: () => import('../admin/jobs.js') });
}
