import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium, requireChromium, SKIP_BROWSER } from './chromium.js';
import { startTestShop, type TestShop } from './shop-fixture.js';

/**
 * The web UI end to end, in headless Chromium against a real server (the
 * demo shop's code path on a tiny world): the storefront's live feed, a
 * product page, photo search, and the admin dashboard. Screenshots are kept
 * in test-artifacts/browser/.
 */
let shop: TestShop;
let browser: Browser;
let page: Page;
const shots = artifactsDir();
const errors: string[] = [];

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** The feed's live state, as the page marks it. */
async function feedState(testid: string): Promise<{ updates: number; slate: string }> {
  const el = page.getByTestId(testid);
  return { updates: Number(await el.getAttribute('data-updates')), slate: (await el.getAttribute('data-slate')) ?? '' };
}

describe.skipIf(SKIP_BROWSER)('web UI in headless Chromium', () => {
  beforeAll(async () => {
    requireChromium();
    shop = await startTestShop();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => errors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
  });

  it('shows the personalised feed, and the feed changes live after add-to-cart (SSE)', async () => {
    await page.goto(`${shop.url}/`);
    await page.getByTestId('feed-grid').getByTestId('product-card').first().waitFor();
    expect(await page.getByTestId('shopper-select').inputValue()).toMatch(/^s\d+/);
    const before = await feedState('feed');
    expect(before.updates).toBe(1);
    expect(before.slate.split(',').length).toBe(12);
    await shot('01-storefront');

    const first = before.slate.split(',')[0]!;
    await page.locator(`[data-testid=feed-grid] [data-item="${first}"] [data-testid=add-to-cart]`).click();
    // The cart event folds into the shopper's history; the stream pushes a new feed without the product now in the cart.
    await expect.poll(async () => (await feedState('feed')).updates, { timeout: 10_000 }).toBeGreaterThan(before.updates);
    const after = await feedState('feed');
    expect(after.slate).not.toBe(before.slate);
    expect(after.slate.split(',')).not.toContain(first);
    await shot('02-feed-after-add-to-cart');
  });

  it('reveals the hidden taste and how well each product fits it', async () => {
    await page.getByText('Show hidden taste').click();
    await page.getByTestId('taste-panel').waitFor();
    await expect.poll(() => page.getByTestId('feed').getByTestId('fit').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('slate-fit').textContent()).toMatch(/Average fit .* \d+%/);
    await shot('03-hidden-taste');
  });

  it('opens a product with similar products and a live "you may also like"', async () => {
    const card = page.getByTestId('feed-grid').getByTestId('product-card').first();
    const id = await card.getAttribute('data-item');
    await card.locator('.card-title').click();
    await page.waitForURL(`**/product/${id}`);
    await page.getByTestId('similar').getByTestId('product-card').first().waitFor();
    await page.getByTestId('also-like-grid').getByTestId('product-card').first().waitFor();
    expect(await page.getByTestId('also-like').getAttribute('data-slate')).not.toContain(id!);
    const before = await feedState('also-like');
    await page.getByTestId('product-add-to-cart').click();
    await expect.poll(async () => (await feedState('also-like')).updates, { timeout: 10_000 }).toBeGreaterThan(before.updates);
    await shot('04-product');
  });

  it('uploads a photo and shows matches with both parts of the blended score', async () => {
    await page.getByRole('link', { name: 'Search by photo', exact: true }).click();
    await expect.poll(() => page.getByTestId('photo-status').textContent()).toMatch(/^Searching \d+ products/);
    const photo = join(shop.shop.world.dir, 'images', 'p000003.png');
    await page.getByTestId('photo-input').setInputFiles(photo);
    await page.getByTestId('photo-grid').getByTestId('product-card').first().waitFor();
    expect(await page.getByTestId('photo-grid').getByTestId('product-card').count()).toBe(12);
    const parts = (await page.getByTestId('score-parts').first().innerText()).replace(/\s+/g, ' ');
    expect(parts).toMatch(/looks like [01]\.\d\d your taste [01]\.\d\d score [01]\.\d\d/);
    expect(await page.getByTestId('photo-explain').textContent()).toMatch(/score = 0\.70 × looks-like \+ 0\.30 × your-taste/);
    await shot('05-photo-search');
  });

  it("blends the product photos into a product page's similar products once the image index is built", async () => {
    const first = page.getByTestId('photo-grid').getByTestId('product-card').first();
    const id = await first.getAttribute('data-item');
    await first.locator('.card-title').click();
    await page.waitForURL(`**/product/${id}`);
    await page.getByTestId('similar').getByTestId('product-card').first().waitFor();
    expect(await page.getByTestId('similar-basis').textContent()).toMatch(/photos/);
  });

  it('opens the admin dashboard with an admin key and draws the charts', async () => {
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.getByTestId('admin-key-input').fill('vk_wrong_key');
    await page.getByTestId('admin-key-submit').click();
    await expect.poll(() => page.locator('.form-error').textContent()).toMatch(/key/i);
    await page.getByTestId('admin-key-input').fill(shop.shop.keys.admin);
    await page.getByTestId('admin-key-submit').click();
    for (const chart of ['chart-ctr', 'chart-conversion', 'chart-aov', 'chart-revenue', 'chart-ctr-variant', 'chart-aov-variant']) {
      await page.locator(`[data-testid=${chart}] svg circle, [data-testid=${chart}] svg rect`).first().waitFor();
    }
    expect(await page.getByTestId('kpi-impressions').textContent()).toMatch(/Impressions[\d,]+/);
    // The three variants of the demo experiment each a line (besides other traffic, e.g. photo-search slates).
    const legend = await page.locator('[data-testid=chart-ctr] .legend span').allTextContents();
    expect(legend).toEqual(expect.arrayContaining(['als', 'hybrid', 'visual-hybrid']));
    // The service panel says how many feeds came from kept candidates (the feeds above asked for some).
    await expect.poll(() => page.locator('section.panel header', { hasText: 'Service' }).textContent()).toMatch(/\d+% of feeds from kept candidates/);
    await shot('06-dashboard-overview');
  });

  it('shows experiments, models with offline metrics, and background jobs', async () => {
    await page.getByRole('link', { name: 'Experiments', exact: true }).click();
    await page.getByTestId('experiment-results').waitFor();
    expect(await page.getByTestId('experiment-variants').locator('tbody tr').count()).toBe(3);
    await shot('07-dashboard-experiments');

    await page.getByRole('link', { name: 'Models', exact: true }).click();
    await page.getByTestId('models').waitFor();
    expect(await page.getByTestId('models').locator('tbody tr').count()).toBe(4);
    await page.locator('[data-testid="chart-model-ndcg@10"] svg rect').first().waitFor();
    await shot('08-dashboard-models');

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByTestId('jobs').waitFor();
    expect(await page.getByTestId('retrain-schedule').textContent()).toMatch(/^Scheduled retraining is off/);
    await page.getByTestId('retrain-now').click();
    // The training job runs in a child process; the page polls its progress until it is done.
    await expect.poll(() => page.getByTestId('jobs').textContent(), { timeout: 45_000 }).toMatch(/train.*succeeded/);
    expect(await page.getByTestId('retrain-schedule').textContent()).toMatch(/Last check .*: asked for; \d+ new events and \d+ new products since "hybrid" was trained/);
    await shot('09-dashboard-jobs');
    expect(errors).toEqual([]);
  });

  it('lets a seller add a product with its photo and shows the catalog products that look like it', async () => {
    const source = ((await (await fetch(`${shop.url}/api/items?limit=1`)).json()) as { items: { id: string; category: string }[] }).items[0]!;
    const photo = Buffer.from(await (await fetch(`${shop.url}/api/items/${source.id}/image`)).arrayBuffer());
    await page.getByRole('link', { name: 'Sell', exact: true }).click();
    await page.getByTestId('seller-key-input').fill('vk_wrong_key');
    await page.getByTestId('seller-key-submit').click();
    await expect.poll(() => page.locator('.form-error').textContent()).toMatch(/key/i);
    await page.getByTestId('seller-key-input').fill(shop.shop.keys.seller);
    await page.getByTestId('seller-key-submit').click();
    await page.getByTestId('seller-id').fill('seller-tee');
    await page.getByTestId('seller-title').fill('Seller tee');
    await page.getByTestId('seller-category').fill(source.category);
    await page.getByTestId('seller-price').fill('19.5');
    await page.getByTestId('photo-input').setInputFiles({ name: 'tee.png', mimeType: 'image/png', buffer: photo });
    await page.getByTestId('seller-save').click();
    await expect.poll(() => page.getByTestId('seller-photo-status').textContent()).toMatch(/in photo search now/);
    // The same photo as a catalog product: that product looks most like it.
    expect(await page.getByTestId('seller-looks').getByTestId('product-card').first().getAttribute('data-item')).toBe(source.id);
    await shot('10-seller');
    await page.getByRole('link', { name: 'Open it in the shop' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Seller tee');
    await page.getByTestId('product-add-to-cart').waitFor();
    // Sold out: the seller opens it again by its id (the form fills in), unticks "Available", and the shop stops offering it.
    await page.getByRole('link', { name: 'Sell', exact: true }).click();
    await page.getByTestId('seller-id').fill('seller-tee');
    await page.getByTestId('seller-id').press('Tab');
    await expect.poll(() => page.getByTestId('seller-title').inputValue()).toBe('Seller tee');
    await page.getByTestId('seller-available').uncheck();
    await page.getByTestId('seller-save').click();
    await page.getByRole('link', { name: 'Open it in the shop' }).click();
    await page.getByTestId('unavailable').waitFor();
    expect(await page.getByTestId('product-add-to-cart').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
