// Real-browser tests of the search page (/) and the widget (/widget.js),
// against a real `rolesearch serve` (ROLESEARCH_URL, started by
// scripts/browser-test; started here when unset) in headless Chromium.
// The page and the widget are this checkout's server/assets/ files unless
// ROLESEARCH_ASSETS=binary (see harness.js); the API is always the server's.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {
  REPO, ASSET_SOURCE, asset, closedPort, makeContent, startServer, startHost, launchBrowser, registerServer,
  serveAssetsFromDisk,
} = require('./harness');

const SHOTS = process.env.SCREENSHOT_DIR || path.join(__dirname, 'screenshots');
const INPUT = '.rs-root input[role="combobox"]';
const LISTBOX = '.rs-root [role="listbox"]';
const OPTION = '.rs-root [role="listbox"] [role="option"]';
const STATUS = '.rs-root [role="status"]';
const ERROR = '.rs-root .rs-error';
const PO_TITLE = 'What Does a Product Owner Do?';
const FIXTURE_TITLE = '<script>window.__pwned=1</script> Zorbluxian "><b>bold</b> <img src=x onerror="window.__pwned=1"> careers';

let browser;
let base;
let content;
const owned = []; // servers started here, stopped in after()

before(async () => {
  content = makeContent();
  if (process.env.ROLESEARCH_URL) {
    base = process.env.ROLESEARCH_URL.replace(/\/$/, '');
    registerServer(base);
  } else {
    const server = await startServer({ content });
    owned.push(server);
    base = server.url;
  }
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
  console.log(`# search page and widget: ${ASSET_SOURCE === 'disk' ? 'server/assets/ in this checkout' : "the binary's built-in copies"}`);
});

after(async () => {
  if (browser) await browser.close();
  await Promise.all(owned.map((s) => s.stop()));
});

/** A fresh context and page; `fn(page)` runs, the context always closes. */
async function withPage(fn, { viewport = { width: 1280, height: 900 }, mobile = false, init } = {}) {
  const context = await browser.newContext({
    viewport,
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: mobile ? 2 : 1,
  });
  await serveAssetsFromDisk(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  if (init) await page.addInitScript(init);
  try {
    await fn(page);
    assert.deepEqual(pageErrors.map(String), [], 'no uncaught errors in the page');
  } finally {
    await context.close();
  }
}

async function type(page, text) {
  const input = page.locator(INPUT);
  await input.click();
  await input.pressSequentially(text, { delay: 15 });
}

/** Types `text` and waits until the answer for the whole input is shown. */
async function search(page, text, { append = false } = {}) {
  const input = page.locator(INPUT);
  const final = (append ? await input.inputValue() : '') + text;
  const response = page.waitForResponse((r) => isSearch(r.url()) && new URL(r.url()).searchParams.get('q') === final.trim());
  if (!append) await input.fill('');
  await type(page, text);
  await response;
  await settled(page);
}

async function settled(page) {
  await page.waitForFunction(() => {
    const root = document.querySelector('.rs-root');
    return root && !root.classList.contains('rs-loading');
  });
}

function titles(page) {
  return page.locator(`${LISTBOX} [role="group"] > [role="option"]:first-child .rs-title`).allTextContents();
}

async function waitForTitle(page, title) {
  await page.locator(`${LISTBOX} .rs-title`, { hasText: title }).first().waitFor();
}

/** The API's answer to a search as the search page asks it: the page is
 * `<html lang="en">`, so its searches carry `locale=en`. */
async function api(pathAndQuery) {
  const url = new URL(base + pathAndQuery);
  if (url.pathname === '/search' && !url.searchParams.has('locale')) url.searchParams.set('locale', 'en');
  const res = await fetch(url);
  assert.equal(res.status, 200, pathAndQuery);
  return res.json();
}

function isSearch(url) {
  return new URL(url).pathname === '/search';
}

test('the page and the widget under test are the ones in server/assets/ (unless ROLESEARCH_ASSETS=binary)', async (t) => {
  if (ASSET_SOURCE !== 'disk') { t.skip('testing the binary\'s built-in assets'); return; }
  await withPage(async (page) => {
    const res = await page.goto(`${base}/?q=x`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^text\/html/, "the server's headers are kept");
    assert.equal(await res.text(), asset('index.html').toString());
    const js = await page.evaluate(async () => (await fetch('/widget.js')).text());
    assert.equal(js, asset('widget.js').toString());
  });
});

test('typing a query shows results grouped by article with section sub-results and deep links', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    assert.equal(await page.title(), 'rolesearch');
    await search(page, 'sprint-ready tick');
    await waitForTitle(page, PO_TITLE);

    const input = page.locator(INPUT);
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    assert.equal(await input.getAttribute('aria-autocomplete'), 'list');
    const listboxId = await input.getAttribute('aria-controls');
    assert.equal(await page.locator(`#${listboxId}`).getAttribute('role'), 'listbox');
    assert.match(await page.locator(STATUS).textContent(), /^\d+ results?$/);
    assert.equal(await page.locator(STATUS).getAttribute('aria-live'), 'polite');

    // One group per article: the article link first, then its sections.
    const group = page.locator(`${LISTBOX} [role="group"]`).filter({ hasText: PO_TITLE });
    const options = group.locator('[role="option"]');
    assert.ok((await options.count()) >= 2, 'the article has section sub-results');
    const article = options.first();
    assert.equal(await article.locator('.rs-title').textContent(), PO_TITLE);
    assert.match(await article.getAttribute('href'), /\/articles\/what-does-a-product-owner-do$/);
    assert.match(await article.textContent(), /Roles/, 'the category is shown');

    const section = group.locator('[role="option"].rs-sec', { hasText: 'Sprint-ready tickets' }).first();
    const href = await section.getAttribute('href');
    assert.ok(href.endsWith('#sprint-ready-tickets'), href);
    assert.ok(href.startsWith(`${base}/articles/what-does-a-product-owner-do`), href);
    assert.ok((await section.locator('mark').count()) > 0, 'matched words are highlighted');

    // Table rows show their cells as a definition list.
    const cells = page.locator(`${LISTBOX} dl.rs-cells`);
    assert.ok((await cells.count()) > 0, 'table rows are shown as <dl>');
    assert.ok((await cells.first().locator('dt').count()) >= 2);

    // Every option has a unique id.
    const ids = await page.locator(OPTION).evaluateAll((els) => els.map((e) => e.id));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every(Boolean));

    await page.screenshot({ path: path.join(SHOTS, 'desktop.png'), fullPage: true });
  });
});

test('results update as you type and stale responses never overwrite newer ones', async () => {
  // Updates: "interview" shows the interview articles, then " salary" narrows them.
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'interview');
    await waitForTitle(page, 'Product Manager Interview Questions');
    await search(page, ' salary', { append: true });
    await page.locator(STATUS, { hasText: /^1 result$/ }).waitFor();
    assert.deepEqual(await titles(page), ['How to Move Into Product Management']);
  });

  // Stale: the response to "salary" is held until the results for
  // "salary interview" are shown, then delivered. Once with the widget's
  // AbortController (the request is cancelled), once without it (only the
  // sequence number stands between the stale answer and the screen).
  for (const withAbort of [true, false]) {
    await withPage(async (page) => {
      let releaseStale;
      const released = new Promise((r) => { releaseStale = r; });
      let heldResolve;
      const held = new Promise((r) => { heldResolve = r; });
      let staleOutcome = null;
      const queries = [];
      await page.route(isSearch, async (route) => {
        const q = new URL(route.request().url()).searchParams.get('q');
        queries.push(q);
        if (q === 'salary' && !staleOutcome) {
          staleOutcome = 'held';
          const real = await route.fetch();
          heldResolve();
          await released;
          try {
            await route.fulfill({ response: real });
            staleOutcome = 'delivered';
          } catch {
            staleOutcome = 'cancelled';
          }
          return;
        }
        await route.continue();
      });
      if (!withAbort) {
        await page.addInitScript(() => { delete window.AbortController; });
      }
      await page.goto(`${base}/`);
      if (!withAbort) assert.equal(await page.evaluate(() => typeof window.AbortController), 'undefined');
      await type(page, 'salary');
      await held; // the first search is in flight and held
      await type(page, ' interview');
      await page.locator(STATUS, { hasText: /^1 result$/ }).waitFor();
      assert.deepEqual(await titles(page), ['How to Move Into Product Management']);

      releaseStale();
      await page.waitForTimeout(400);
      assert.deepEqual(await titles(page), ['How to Move Into Product Management'], 'the stale answer is ignored');
      assert.equal(await page.locator(STATUS).textContent(), '1 result');
      assert.equal(await page.locator(INPUT).inputValue(), 'salary interview');
      assert.ok(queries.includes('salary') && queries.at(-1) === 'salary interview', queries.join(' | '));
      if (!withAbort) assert.equal(staleOutcome, 'delivered', 'the stale response did reach the page');
    }, {});
  }
});

test('clicking a role chip filters the results by that role, and several chips mean any of them', async () => {
  await withPage(async (page) => {
    const requests = [];
    page.on('request', (r) => { if (isSearch(r.url())) requests.push(new URL(r.url())); });
    await page.goto(`${base}/`);
    await search(page, 'sprint');
    await waitForTitle(page, 'Sprint Planning and Backlog Grooming');
    const before = await titles(page);

    const chip = page.locator('.rs-facets button[data-role="scrum-master"]');
    assert.equal(await chip.getAttribute('aria-pressed'), 'false');
    assert.match(await chip.textContent(), /^Scrum Master\s*\d+$/, 'display name from /roles and a count');
    const expected = await api('/search?q=sprint&role=scrum-master&limit=10&sections=3');
    await chip.click();
    await page.locator('.rs-facets button[data-role="scrum-master"][aria-pressed="true"]').waitFor();
    await page.locator(STATUS, { hasText: new RegExp(`^${expected.estimatedTotalHits} results?$`) }).waitFor();
    const filtered = await titles(page);
    assert.deepEqual(filtered, expected.hits.map((h) => h.title));
    assert.notDeepEqual(filtered, before, 'the results change');
    const last = requests.at(-1);
    assert.deepEqual(last.searchParams.getAll('role'), ['scrum-master']);
    assert.equal(last.searchParams.get('q'), 'sprint');

    // A second role: any of the two; other roles stay on offer.
    const po = page.locator('.rs-facets button[data-role="product-owner"]');
    await po.click();
    const both = await api('/search?q=sprint&role=scrum-master&role=product-owner&limit=10&sections=3');
    await page.locator(STATUS, { hasText: new RegExp(`^${both.estimatedTotalHits} results?$`) }).waitFor();
    assert.deepEqual(await titles(page), both.hits.map((h) => h.title));
    assert.deepEqual(requests.at(-1).searchParams.getAll('role').sort(), ['product-owner', 'scrum-master']);
    assert.equal(await page.locator('.rs-facets button[aria-pressed="true"]').count(), 2);
    assert.ok((await page.locator('.rs-facets button[aria-pressed="false"]').count()) > 0, 'unselected roles remain');

    // Un-toggling both restores the unfiltered results.
    await po.click();
    await chip.click();
    await page.locator('.rs-facets button[aria-pressed="true"]').waitFor({ state: 'detached' });
    await page.waitForFunction(() => !document.querySelector('.rs-root').classList.contains('rs-loading'));
    await waitForTitle(page, before[0]);
    assert.deepEqual(await titles(page), before);
    assert.deepEqual(requests.at(-1).searchParams.getAll('role'), []);
  });
});

test('the page starts from ?q= and ?role= in its address and keeps them up to date', async () => {
  await withPage(async (page) => {
    const first = page.waitForRequest((r) => isSearch(r.url()));
    await page.goto(`${base}/?q=sprint&role=scrum-master`);
    const req = new URL((await first).url());
    assert.equal(req.searchParams.get('q'), 'sprint');
    assert.deepEqual(req.searchParams.getAll('role'), ['scrum-master']);
    assert.equal(await page.locator(INPUT).inputValue(), 'sprint');
    await page.locator('.rs-facets button[data-role="scrum-master"][aria-pressed="true"]').waitFor();
    const expected = await api('/search?q=sprint&role=scrum-master&limit=10&sections=3');
    await waitForTitle(page, expected.hits[0].title);
    assert.deepEqual(await titles(page), expected.hits.map((h) => h.title));

    assert.deepEqual(new URL(page.url()).searchParams.getAll('role'), ['scrum-master']);

    // Typing and un-toggling the role rewrite the address (no new history entry).
    const historyLength = await page.evaluate(() => history.length);
    await page.locator('.rs-facets button[data-role="scrum-master"]').click();
    await page.locator('.rs-facets button[aria-pressed="true"]').waitFor({ state: 'detached' });
    await search(page, 'kano');
    await waitForTitle(page, 'How to Prioritise Features');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'kano');
    assert.deepEqual(url.searchParams.getAll('role'), []);
    assert.equal(await page.evaluate(() => history.length), historyLength);
  });
});

test('keyboard: ArrowDown moves the active option, Enter opens its deep link, Escape closes', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'sprint-ready tick');
    const input = page.locator(INPUT);
    const ids = await page.locator(OPTION).evaluateAll((els) => els.map((e) => e.id));
    assert.ok(ids.length >= 3);
    assert.equal(await input.getAttribute('aria-activedescendant'), null);

    await input.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), ids[0]);
    assert.equal(await page.locator(`#${ids[0]}`).getAttribute('aria-selected'), 'true');
    assert.match(await page.locator(`#${ids[0]}`).getAttribute('class'), /rs-active/);
    await input.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), ids[1]);
    assert.equal(await page.locator(`#${ids[0]}`).getAttribute('aria-selected'), 'false');
    await input.press('ArrowUp');
    assert.equal(await input.getAttribute('aria-activedescendant'), ids[0]);
    await input.press('ArrowUp');
    assert.equal(await input.getAttribute('aria-activedescendant'), null, 'back in the input');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'combobox', 'focus stays in the input');

    // Far down the list: the active option is scrolled into view.
    for (let i = 0; i < ids.length; i++) await input.press('ArrowDown');
    const lastActive = page.locator(`#${ids[ids.length - 1]}`);
    assert.equal(await input.getAttribute('aria-activedescendant'), ids[ids.length - 1]);
    assert.ok(await lastActive.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }), 'the active option is visible');

    // Escape closes, a second Escape clears.
    await input.press('Escape');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    assert.equal(await input.getAttribute('aria-activedescendant'), null);
    assert.equal(await page.locator(LISTBOX).isVisible(), false);
    assert.equal(await input.inputValue(), 'sprint-ready tick');
    await input.press('Escape');
    assert.equal(await input.inputValue(), '');
    assert.equal(await page.locator(OPTION).count(), 0);

    // Enter opens the active option's deep link.
    await search(page, 'sprint-ready tick');
    await waitForTitle(page, PO_TITLE);
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    const active = page.locator(`#${await input.getAttribute('aria-activedescendant')}`);
    assert.match(await active.textContent(), /Sprint-ready tickets/);
    await Promise.all([page.waitForURL(/#sprint-ready-tickets$/), input.press('Enter')]);
    assert.ok(page.url().endsWith('/articles/what-does-a-product-owner-do#sprint-ready-tickets'), page.url());
  });
});

test('pressing / focuses the search box unless focus is in a form field', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await page.locator('h1').click();
    assert.notEqual(await page.evaluate(() => document.activeElement.getAttribute('role')), 'combobox');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'combobox');
    assert.equal(await page.locator(INPUT).inputValue(), '', 'the slash is not typed');
    await page.keyboard.type('a/b');
    assert.equal(await page.locator(INPUT).inputValue(), 'a/b', 'inside the input / is just a character');
  });
});

test('markup in article titles, headings, text, table cells and image alt text stays text', async () => {
  const checkInert = async (page) => {
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    const found = await page.locator('.rs-root').evaluate((root) => ({
      img: root.querySelectorAll('img').length,
      onerror: root.querySelectorAll('[onerror]').length,
      b: root.querySelectorAll('b').length,
      script: root.querySelectorAll('script').length,
      foreignMarks: [...root.querySelectorAll('mark')].filter((m) => m.className !== 'rs-mark' || m.children.length).length,
    }));
    assert.deepEqual(found, { img: 0, onerror: 0, b: 0, script: 0, foreignMarks: 0 });
  };

  // The page itself, with its default three sections per article.
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'zorbluxian');
    const title = page.locator(`${LISTBOX} .rs-title`).first();
    await title.waitFor();
    assert.equal(await title.textContent(), FIXTURE_TITLE);
    assert.ok(await page.getByText('<script>window.__pwned=1</script>', { exact: false }).first().isVisible());
    assert.match(await page.locator(`${LISTBOX} .rs-cat`).first().textContent(), /^<b>Fixture<\/b> <img src=x onerror="window.__pwned=1">$/);
    await checkInert(page);
  });

  // A page on the same origin showing all ten sections of the fixture.
  await withPage(async (page) => {
    await page.route(`${base}/__test/all-sections.html`, (route) => route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><meta charset="utf-8"><title>all sections</title><div id="rolesearch"></div>'
        + '<script src="/widget.js" data-sections="10"></script>',
    }));
    await page.goto(`${base}/__test/all-sections.html`);
    await search(page, 'zorbluxian');
    await page.locator(`${LISTBOX} .rs-sec`).nth(6).waitFor();
    const text = await page.locator(LISTBOX).innerText();
    for (const literal of [
      'Zorbluxian basics <script>window.__pwned=1</script>',                      // heading
      'Zorbluxian heading with "><b>bold</b> and <img src=x onerror="window.__pwned=1">', // nested heading
      '<script>window.__pwned=1</script> zorbluxian',                           // table cell
      'Value "><b>bold</b>',                                                    // table header
      'Zorbluxian diagram <img src=x onerror="window.__pwned=1"> "><b>bold</b>', // image alt
      'Caption <script>window.__pwned=1</script> zorbluxian',                   // caption
      'writes <script>window.__pwned=1</script> into tickets',                  // body text
    ]) {
      assert.ok(text.includes(literal), `shown as text: ${literal}`);
    }
    assert.ok((await page.locator(`${LISTBOX} .rs-media`).count()) > 0, 'the image shows its alt and caption');
    await checkInert(page);
  });

  // A compromised server: markup outside <mark> in snippets, markup in
  // every other field, javascript: links. Nothing of it becomes markup.
  await withPage(async (page) => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b><script>window.__pwned=1</script>';
    await page.route(isSearch, (route) => route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        query: 'evil', processingTimeMs: 1, estimatedTotalHits: 1, offset: 0, limit: 10,
        hits: [{
          slug: 'evil', title: `Evil ${evil}`, url: 'javascript:window.__pwned=1', category: evil,
          publishedAt: null, score: 1, roles: [],
          sections: [
            { kind: 'paragraph', heading: evil, headingPath: [evil, evil], anchor: 'x', url: 'javascript:window.__pwned=1',
              text: evil, snippet: `<mark>evil</mark> ${evil} <mark>${evil}</mark> &lt;i&gt;`, roles: [], score: 1 },
            { kind: 'table_row', heading: 'h', headingPath: ['h'], anchor: 'x', url: '/a#x', text: 't',
              snippet: '<mark>evil</mark>', cells: { [evil]: evil }, roles: [], score: 1 },
            { kind: 'media', heading: 'h', headingPath: ['h'], anchor: 'x', url: 'data:text/html,<script>alert(1)</script>', text: 't',
              snippet: 'x', media: { name: evil, url: 'javascript:1', alt: evil, caption: evil }, roles: [], score: 1 },
            { kind: 'heading', heading: evil, headingPath: [evil], anchor: 'x', url: '/a#x', text: evil, snippet: evil, roles: [], score: 1 },
          ],
        }],
        facetDistribution: { role: { [evil]: 1 }, category: {} },
        understood: { query: 'evil', showingResultsFor: evil, didYouMean: evil },
      }),
    }));
    await page.route((u) => new URL(u).pathname === '/roles', (route) => route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({ roles: [{ id: evil, name: evil, acronyms: [], aliases: [], articles: 1 }] }),
    }));
    await page.goto(`${base}/`);
    await type(page, 'evil');
    await page.locator(`${LISTBOX} .rs-title`).waitFor();
    assert.equal(await page.locator(`${LISTBOX} .rs-title`).textContent(), `Evil ${evil}`);
    assert.ok((await page.locator('.rs-notice').innerText()).includes(evil));
    assert.ok((await page.locator('.rs-facets').innerText()).includes(evil));
    assert.equal(await page.locator(`${LISTBOX} [href^="javascript:"], ${LISTBOX} [href^="data:"]`).count(), 0, 'no script URLs');
    await checkInert(page);
    // Enter on an option without a safe link does not navigate.
    await page.locator(INPUT).press('ArrowDown');
    await page.locator(INPUT).press('Enter');
    await page.waitForTimeout(200);
    assert.equal(new URL(page.url()).pathname, '/');
    await checkInert(page);
  });
});

test('a misspelt query says which query the results are for', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'buisness analyst');
    const notice = page.locator('.rs-root .rs-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Showing results for business analyst\./);
    await waitForTitle(page, 'Business Analyst');
  });
});

test('a "did you mean" suggestion runs that query when clicked', async () => {
  await withPage(async (page) => {
    const u = (await api('/search?q=prodct+ownr&limit=1&sections=1')).understood;
    assert.ok(u.didYouMean, 'the server offers a suggestion for "prodct ownr"');
    await page.goto(`${base}/`);
    await search(page, 'prodct ownr');
    const dym = page.locator('.rs-root .rs-suggestion').first();
    await dym.waitFor();
    assert.equal(await dym.textContent(), u.didYouMean);
    await dym.click();
    assert.equal(await page.locator(INPUT).inputValue(), u.didYouMean);
    const expected = await api(`/search?q=${encodeURIComponent(u.didYouMean)}&limit=10&sections=3`);
    await waitForTitle(page, expected.hits[0].title);
  });
});

test('gibberish shows a helpful empty state', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'xqzzvv plorkt');
    await page.locator(STATUS, { hasText: /^No results$/ }).waitFor();
    const empty = page.locator('.rs-root .rs-empty');
    assert.ok(await empty.isVisible());
    assert.match(await empty.innerText(), /No results for “xqzzvv plorkt”/);
    assert.match(await empty.innerText(), /spelling|fewer/);
    assert.equal(await page.locator(OPTION).count(), 0);
    assert.equal(await page.locator(INPUT).getAttribute('aria-expanded'), 'false');
  });
});

test('a 503 or a network failure shows the error state and keeps the last results', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'scrum master');
    const shown = await titles(page);
    const optionsBefore = await page.locator(OPTION).count();

    await page.route(isSearch, (route) => route.fulfill({
      status: 503,
      contentType: 'application/json',
      headers: { 'retry-after': '1' },
      body: JSON.stringify({ error: { code: 'overloaded', message: 'too many searches' } }),
    }));
    await type(page, ' salary');
    const error = page.locator(ERROR);
    await error.waitFor();
    assert.match(await error.innerText(), /unavailable.*503/i);
    assert.match(await error.innerText(), /Showing the last results/);
    assert.equal(await page.locator(STATUS).textContent(), 'Search failed');
    assert.deepEqual(await titles(page), shown, 'the last results stay');
    assert.equal(await page.locator(OPTION).count(), optionsBefore);
    await page.screenshot({ path: path.join(SHOTS, 'error-503.png') });

    await page.unroute(isSearch);
    await page.route(isSearch, (route) => route.abort('failed'));
    await page.locator(`${ERROR} .rs-retry`).click();
    await page.locator(ERROR, { hasText: /Cannot reach/ }).waitFor();
    assert.deepEqual(await titles(page), shown);

    // Recovery: the retry button runs the search again.
    await page.unroute(isSearch);
    await page.locator(`${ERROR} .rs-retry`).click();
    await page.locator(ERROR).waitFor({ state: 'hidden' });
    assert.match(await page.locator(STATUS).textContent(), /^\d+ results?$/);
  });
});

test('More results loads the next page below the first', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    const total = (await api('/search?q=product+manager&limit=1&sections=1')).estimatedTotalHits;
    assert.ok(total > 10);
    await search(page, 'product manager');
    assert.equal(await page.locator(STATUS).textContent(), `${total} results`);
    assert.equal((await titles(page)).length, 10);
    const more = page.locator('.rs-root .rs-more');
    const request = page.waitForRequest((r) => isSearch(r.url()) && new URL(r.url()).searchParams.get('offset') === '10');
    await more.click();
    await request;
    await page.waitForFunction(() => document.querySelectorAll('.rs-root [role="listbox"] > [role="group"]').length > 10);
    const all = await titles(page);
    assert.equal(all.length, Math.min(20, total));
    assert.equal(new Set(all).size, all.length, 'no article twice');
    const ids = await page.locator(OPTION).evaluateAll((els) => els.map((e) => e.id));
    assert.equal(new Set(ids).size, ids.length, 'option ids stay unique');
  });
});

test('the page works at 360px wide without horizontal scroll', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/?q=PO+vs+BA`);
    await waitForTitle(page, 'Product Owner vs Business Analyst');
    const widths = async () => page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
      inner: window.innerWidth,
    }));
    let w = await widths();
    assert.equal(w.inner, 360);
    assert.ok(w.doc <= 360 && w.body <= 360, JSON.stringify(w));
    await page.screenshot({ path: path.join(SHOTS, 'phone.png') });
    await page.screenshot({ path: path.join(SHOTS, 'phone-full.png'), fullPage: true });

    // Long table cells, chips and markup-heavy text.
    for (const q of ['acceptance criteria', 'zorbluxian', 'salary by level']) {
      await page.locator(INPUT).fill(q);
      await page.locator(STATUS, { hasText: /results?$/ }).waitFor();
      await page.waitForFunction(() => !document.querySelector('.rs-root').classList.contains('rs-loading'));
      w = await widths();
      assert.ok(w.doc <= 360 && w.body <= 360, `${q}: ${JSON.stringify(w)}`);
    }
  }, { viewport: { width: 360, height: 740 }, mobile: true });
});

function hostPage(apiUrl) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A careers blog</title>
<style>body{font-family:Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}a{color:#a0a}</style></head>
<body><h1>A careers blog</h1><p>Find an article:</p>
<div id="career-search"></div>
<script src="${apiUrl}/widget.js" data-target="#career-search" data-endpoint="${apiUrl}" data-placeholder="Search careers…"></script>
</body></html>`;
}

test('the widget embedded on another origin shows results when the server allows that origin', async () => {
  let api = '';
  const host = await startHost({ '/': () => hostPage(api) });
  const server = await startServer({ content, corsOrigin: host.url });
  api = server.url;
  try {
    assert.notEqual(new URL(api).port, new URL(host.url).port);
    await withPage(async (page) => {
      await page.goto(`${host.url}/`);
      assert.equal(await page.locator(INPUT).getAttribute('placeholder'), 'Search careers…');
      const response = page.waitForResponse((r) => isSearch(r.url()) && r.url().startsWith(api));
      await type(page, 'scrum master');
      assert.equal((await response).headers()['access-control-allow-origin'], host.url);
      await waitForTitle(page, 'Scrum Master');
      const href = await page.locator(OPTION).first().getAttribute('href');
      assert.ok(href.startsWith(`${api}/articles/`), `links point at the search server: ${href}`);
      // /roles was read cross-origin too: chips carry display names.
      await page.locator('.rs-facets button[data-role="scrum-master"]', { hasText: 'Scrum Master' }).waitFor();
      assert.equal(await page.locator(ERROR).isVisible(), false);
      await page.screenshot({ path: path.join(SHOTS, 'cross-origin.png'), fullPage: true });
    });
  } finally {
    await server.stop();
    await host.close();
  }
});

test('the widget embedded on another origin shows its error state when the server does not allow that origin', async () => {
  // The server under test runs without --cors-origin.
  const host = await startHost({ '/': () => hostPage(base) });
  try {
    await withPage(async (page) => {
      const failed = page.waitForEvent('requestfailed', (r) => isSearch(r.url()));
      await page.goto(`${host.url}/`);
      await page.locator(INPUT).waitFor(); // the script itself loads: <script> is not subject to CORS
      await type(page, 'scrum master');
      await failed;
      await page.locator(ERROR, { hasText: /Cannot reach the search service/ }).waitFor();
      assert.equal(await page.locator(OPTION).count(), 0);
      assert.equal(await page.locator(STATUS).textContent(), 'Search failed');
      // The same search from outside a browser works: it is the browser that blocks it.
      const direct = await api('/search?q=scrum+master&limit=1&sections=1');
      assert.ok(direct.estimatedTotalHits > 0);
    });
  } finally {
    await host.close();
  }
});

// ---- what a newcomer sees ------------------------------------------------

/**
 * The strings of the widget a sighted user sees, one per item (a title, a
 * crumb of a heading path, a heading, a snippet, a table label or cell, the
 * status, a line of the empty state), in document order. Text kept for
 * screen readers only (.rs-sr) and hidden elements are left out.
 */
function visibleStrings(page, within = '.rs-root') {
  const scope = typeof within === 'string' ? page.locator(within) : within;
  return scope.first().evaluate((root) => {
    const ITEMS = '.rs-title, .rs-path, .rs-head, .rs-snip, .rs-rowhead, dt, dd, .rs-alt, .rs-caption, .rs-status, .rs-empty p, .rs-empty li, .rs-error, .rs-notice';
    const shown = (el) => {
      if (el.closest('.rs-sr')) return false;
      if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1;
    };
    const out = [];
    for (const el of root.querySelectorAll(ITEMS)) {
      if (!shown(el)) continue;
      const parts = el.matches('.rs-path') ? el.textContent.split('›') : [el.textContent];
      for (const p of parts) if (p.trim()) out.push(p.replace(/\s+/g, ' ').trim());
    }
    return out;
  });
}

function countSame(strings, s) {
  const norm = (v) => v.replace(/\s+/g, ' ').trim().toLowerCase();
  return strings.filter((x) => norm(x) === norm(s)).length;
}

/** Answers the next /search requests with `body` (an object) instead of the server. */
async function fakeSearch(page, body, { status = 200, headers = {} } = {}) {
  await page.route(isSearch, (route) => route.fulfill({
    status,
    headers,
    contentType: 'application/json',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }));
}

function answer(hits) {
  return {
    query: 'x', processingTimeMs: 1, estimatedTotalHits: hits.length, offset: 0, limit: 10, hits,
    facetDistribution: { role: {}, category: {} }, understood: { query: 'x' },
  };
}

function hit(slug, title, sections) {
  return { slug, title, url: `/articles/${slug}`, category: 'Roles', publishedAt: null, score: 1, roles: [], sections };
}

function section(kind, headingPath, rest = {}) {
  const heading = headingPath.length ? headingPath[headingPath.length - 1] : null;
  return { kind, heading, headingPath, anchor: 'a', url: '/articles/x#a', text: rest.text || heading || '', snippet: rest.snippet ?? rest.text ?? heading ?? '', roles: [], score: 1, ...rest };
}

test('a table row whose first column has no header shows that cell as the row label, with no "Column 1"', async () => {
  // The real server keys an unlabelled first column "Column 1".
  const real = await api('/search?q=typical+background+scrum+master&limit=10&sections=10');
  const row = real.hits.flatMap((h) => h.sections).find((s) => s.kind === 'table_row' && s.cells && 'Column 1' in s.cells);
  assert.ok(row, 'the content has a table with an unlabelled first column');
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'typical background scrum master');
    const label = row.cells['Column 1'];
    await page.locator(`${LISTBOX} .rs-rowhead`, { hasText: label }).first().waitFor();
    const shown = await visibleStrings(page, LISTBOX);
    assert.equal(shown.filter((s) => /^Column \d+$/.test(s)).length, 0, `no "Column 1" label: ${shown.join(' | ')}`);
    assert.ok(countSame(shown, label) >= 1, `the row label "${label}" is shown`);
    // The other cells keep their headers.
    const dts = await page.locator(`${LISTBOX} dl.rs-cells dt`).allTextContents();
    assert.ok(dts.includes('Product Owner (PO)'), dts.join(' | '));
    assert.ok(dts.every((t) => t.trim() && t !== 'Column 1'), 'no empty or "Column 1" header');
  });

  // Keyed "" (another way to send it), and a real header that is "Column 1".
  await withPage(async (page) => {
    await fakeSearch(page, answer([hit('t', 'Tables', [
      section('table_row', ['Grid'], { text: 'Owns · PO: the backlog', snippet: 'Owns · PO: the backlog', cells: { '': 'Owns', PO: 'the backlog' } }),
      section('table_row', ['Grid'], { text: 'Column 1: Named · B: cell', snippet: 'Column 1: Named · B: cell', cells: { 'Column 1': 'Named', B: 'cell' } }),
    ])]));
    await page.goto(`${base}/`);
    await type(page, 'tables');
    await page.locator(`${LISTBOX} .rs-rowhead`).first().waitFor();
    assert.deepEqual(await page.locator(`${LISTBOX} .rs-rowhead`).allTextContents(), ['Owns']);
    assert.deepEqual(await page.locator(`${LISTBOX} dt`).allTextContents(), ['PO', 'Column 1', 'B']);
  });
});

test('a heading hit is shown once: not again as its own path, nor as the path below it, nor beside the same title', async () => {
  // Real content: "What does a Scrum Master do?" is the article's title, its
  // first heading, and the parent of "What is a Scrum Master?".
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'what does a scrum master do');
    const group = page.locator(`${LISTBOX} [role="group"]`)
      .filter({ has: page.locator('.rs-title', { hasText: /^What does a Scrum Master do\?$/i }) });
    await group.waitFor();
    const shown = await visibleStrings(page, group);
    assert.equal(countSame(shown, 'What does a Scrum Master do?'), 1, shown.join(' | '));
    assert.equal(countSame(shown, 'What is a Scrum Master?'), 1, shown.join(' | '));
    // Elsewhere: a heading hit followed by a section under it shows the path once.
    const all = await visibleStrings(page, LISTBOX);
    assert.ok(countSame(all, 'How do you work with a Scrum Master?') === 1, all.join(' | '));
  });

  // Shapes a server may send: a heading path that ends with the heading or
  // stops at its parent, and the title as a section of its own.
  await withPage(async (page) => {
    await fakeSearch(page, answer([hit('h', 'Heading shapes', [
      section('title', [], { text: 'Heading shapes', snippet: '<mark>Heading</mark> shapes' }),
      section('heading', ['Parent', 'Child A'], { snippet: '<mark>Child</mark> A' }),
      { ...section('heading', ['Parent'], { text: 'Child B', snippet: '<mark>Child</mark> B' }), heading: 'Child B' },
      section('paragraph', ['Parent', 'Child B'], { text: 'Body under B', snippet: 'Body under <mark>B</mark>' }),
    ])]));
    await page.goto(`${base}/`);
    await type(page, 'heading');
    await page.locator(`${LISTBOX} .rs-title`).waitFor();
    const shown = await visibleStrings(page, LISTBOX);
    assert.equal(countSame(shown, 'Heading shapes'), 1, shown.join(' | '));
    assert.equal(countSame(shown, 'Child A'), 1, shown.join(' | '));
    assert.equal(countSame(shown, 'Child B'), 1, shown.join(' | '));
    assert.ok(countSame(shown, 'Parent') >= 1, 'the parent heading is shown as the path');
    assert.equal(await page.locator(`${LISTBOX} .rs-title mark`).textContent(), 'Heading', "the title section's marks are on the title");
    assert.equal(await page.locator(OPTION).count(), 4, 'the article and its three sections; the title is not a section');
  });
});

test('"No results" is said once', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'xqzzvv plorkt');
    await page.locator('.rs-root .rs-empty').waitFor();
    const shown = await visibleStrings(page);
    assert.equal(shown.filter((s) => /no results/i.test(s)).length, 1, shown.join(' | '));
    // Screen readers still hear it from the live status.
    assert.equal(await page.locator(STATUS).textContent(), 'No results');
  });
});

test('Escape clears the result count with the results; reopening brings both back', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'sprint-ready tick');
    const count = await page.locator(STATUS).textContent();
    assert.match(count, /^\d+ results?$/);
    const input = page.locator(INPUT);
    await input.press('Escape');
    assert.equal(await page.locator(LISTBOX).isVisible(), false);
    assert.equal(await page.locator(STATUS).textContent(), '', 'no count above nothing');
    assert.deepEqual((await visibleStrings(page)).filter((s) => /result/.test(s)), []);
    await input.press('ArrowDown');
    assert.equal(await page.locator(LISTBOX).isVisible(), true);
    assert.equal(await page.locator(STATUS).textContent(), count);
    await input.press('Escape');
    await input.click();
    assert.equal(await page.locator(STATUS).textContent(), count, 'a click on the box reopens too');
  });
});

test('on a phone the role chips are one row that scrolls sideways, and a chosen chip stays in sight', async () => {
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await search(page, 'product');
    const chips = page.locator('.rs-facets button');
    assert.ok((await chips.count()) >= 11, `many roles on offer (${await chips.count()})`);
    const box = await page.locator('.rs-facets').evaluate((el) => {
      const chip = el.querySelector('button').getBoundingClientRect();
      const tops = new Set([...el.querySelectorAll('button')].map((b) => Math.round(b.getBoundingClientRect().top)));
      return { height: el.getBoundingClientRect().height, chip: chip.height, rows: tops.size, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
    });
    assert.equal(box.rows, 1, JSON.stringify(box));
    assert.ok(box.height <= box.chip * 1.5, `at most one row high: ${JSON.stringify(box)}`);
    assert.ok(box.scrollWidth > box.clientWidth, 'the row scrolls');
    const doc = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(doc <= 375, `the page does not scroll sideways (${doc})`);

    // The last chip: scrolled to and chosen, it is pressed and in sight.
    const last = chips.last();
    const role = await last.getAttribute('data-role');
    await last.scrollIntoViewIfNeeded();
    await last.click();
    const pressed = page.locator(`.rs-facets button[data-role="${role}"][aria-pressed="true"]`);
    await pressed.waitFor();
    await settled(page);
    const inSight = await pressed.evaluate((b) => {
      const row = b.parentElement.getBoundingClientRect();
      const r = b.getBoundingClientRect();
      return r.left >= row.left - 1 && r.right <= row.right + 1;
    });
    assert.ok(inSight, 'the chosen chip is in sight after the results change');
    await page.screenshot({ path: path.join(SHOTS, 'phone-chips.png') });
  }, { viewport: { width: 375, height: 740 }, mobile: true });
});

test('an empty query with a role selected lists that role\'s articles', async () => {
  const expected = await api('/search?q=&role=product-owner&limit=10&sections=3');
  assert.ok(expected.hits.length > 0, 'the API lists the role\'s articles for an empty query');
  await withPage(async (page) => {
    const requests = [];
    page.on('request', (r) => { if (isSearch(r.url())) requests.push(new URL(r.url())); });
    await page.goto(`${base}/`);
    await search(page, 'sprint');
    await page.locator('.rs-facets button[data-role="product-owner"]').click();
    await page.locator('.rs-facets button[data-role="product-owner"][aria-pressed="true"]').waitFor();
    await settled(page);
    const listed = page.waitForResponse((r) => isSearch(r.url()) && new URL(r.url()).searchParams.get('q') === ''
      && new URL(r.url()).searchParams.getAll('role').join() === 'product-owner');
    await page.locator(INPUT).fill('');
    await listed;
    await settled(page);
    await page.locator(STATUS, { hasText: new RegExp(`^${expected.estimatedTotalHits} articles?$`) }).waitFor();
    assert.deepEqual(await titles(page), expected.hits.map((h) => h.title));
    assert.equal(await page.locator(INPUT).getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('.rs-root .rs-empty').isVisible(), false);
    // A title-only section is not listed again under its article.
    const shown = await visibleStrings(page, LISTBOX);
    for (const h of expected.hits) assert.equal(countSame(shown, h.title), 1, h.title);
    // The role stays selected and removable; other roles can be added.
    assert.equal(await page.locator('.rs-facets button[aria-pressed="true"]').count(), 1);
    assert.ok((await page.locator('.rs-facets button[aria-pressed="false"]').count()) > 0, 'other roles on offer');
    assert.deepEqual(new URL(page.url()).searchParams.getAll('role'), ['product-owner']);
    assert.equal(new URL(page.url()).searchParams.get('q'), null);
    // Removing the role: nothing is listed, nothing is asked.
    const asked = requests.length;
    await page.locator('.rs-facets button[data-role="product-owner"]').click();
    await page.locator(OPTION).first().waitFor({ state: 'detached' });
    assert.equal(await page.locator(STATUS).textContent(), '');
    assert.equal(requests.length, asked);
  });

  // Straight from the address: /?role=product-owner.
  await withPage(async (page) => {
    await page.goto(`${base}/?role=product-owner`);
    await waitForTitle(page, expected.hits[0].title);
    assert.deepEqual(await titles(page), expected.hits.map((h) => h.title));
    await page.locator(INPUT).press('ArrowDown');
    assert.match(await page.locator(`#${await page.locator(INPUT).getAttribute('aria-activedescendant')}`).getAttribute('href'),
      /\/articles\//, 'the keyboard reaches the listed articles');
  });
});

test('an empty query with a role lists that role\'s articles newest first (the order is the server\'s)', async () => {
  // The listing's order is the server's: GET /search?q=&role=… answers the
  // role's articles newest first (by publishedAt; where undated articles go
  // is the server's choice). The widget shows them in the order sent. A
  // server from before that listing order fails the first assertion.
  const expected = await api('/search?q=&role=product-owner&limit=10&sections=3');
  const dated = expected.hits.filter((h) => h.publishedAt).map((h) => h.publishedAt);
  assert.ok(dated.length >= 2);
  const times = dated.map((d) => Date.parse(d));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), `the API lists newest first: ${dated.join(', ')}`);
  await withPage(async (page) => {
    await page.goto(`${base}/?role=product-owner`);
    await waitForTitle(page, expected.hits[0].title);
    assert.deepEqual(await titles(page), expected.hits.map((h) => h.title));
  });
});

// ---- errors that say what happened ---------------------------------------

/** A page on the static host that loads the host's own copy of the widget. */
function selfHostedPage(endpoint) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A careers blog</title></head>
<body><h1>A careers blog</h1><div id="career-search"></div>
<script src="/widget.js" data-target="#career-search" data-endpoint="${endpoint}"></script>
</body></html>`;
}

test('a server that does not allow the page\'s origin (CORS): the message names the service and the site, and says why it may fail', async () => {
  // The server under test runs without --cors-origin for the host.
  const host = await startHost({ '/': () => selfHostedPage(base) });
  try {
    await withPage(async (page) => {
      const failed = page.waitForEvent('requestfailed', (r) => isSearch(r.url()));
      await page.goto(`${host.url}/`);
      await type(page, 'scrum master');
      await failed;
      const error = page.locator(ERROR);
      await error.waitFor();
      const msg = await error.innerText();
      assert.ok(msg.includes(`Cannot reach the search service at ${base}.`), msg);
      assert.match(msg, /may be down/, msg);
      assert.ok(msg.includes(`may not allow requests from this site (${host.url})`), msg);
      assert.doesNotMatch(msg, /check your connection/i);
      assert.equal(await page.locator(`${ERROR} .rs-retry`).isVisible(), true);
    });
  } finally {
    await host.close();
  }
});

test('a search server that is down: the message names it and says it may be down', async () => {
  const down = await closedPort();
  const host = await startHost({ '/': () => selfHostedPage(down) });
  try {
    await withPage(async (page) => {
      await page.goto(`${host.url}/`);
      await type(page, 'scrum master');
      const error = page.locator(ERROR);
      await error.waitFor();
      const msg = await error.innerText();
      assert.ok(msg.includes(`Cannot reach the search service at ${down}.`), msg);
      assert.match(msg, /may be down/);
      assert.ok(msg.includes(`(${host.url})`), msg);
      assert.equal(await page.locator(STATUS).textContent(), 'Search failed');
    });
  } finally {
    await host.close();
  }

  // Same origin (the search page itself) and the connection fails: no
  // cross-origin explanation, since none applies.
  await withPage(async (page) => {
    await page.goto(`${base}/`);
    await page.route(isSearch, (route) => route.abort('connectionrefused'));
    await type(page, 'scrum master');
    await page.locator(ERROR).waitFor();
    const msg = await page.locator(ERROR).innerText();
    assert.ok(msg.includes(`Cannot reach the search service at ${base}.`), msg);
    assert.match(msg, /may be down/);
    assert.doesNotMatch(msg, /not allow requests/);
  });
});

test('an error answer shows the server\'s own message; a 503 says the service is busy and when to try again', async () => {
  // A real 400 from the server: an unknown role in the address.
  const res = await fetch(`${base}/search?q=sprint&role=no-such-role&limit=10&sections=3`);
  assert.equal(res.status, 400);
  const apiMessage = (await res.json()).error.message;
  await withPage(async (page) => {
    await page.goto(`${base}/?q=sprint&role=no-such-role`);
    const error = page.locator(ERROR);
    await error.waitFor();
    assert.ok((await error.innerText()).includes(apiMessage), await error.innerText());
  });

  await withPage(async (page) => {
    await page.goto(`${base}/`);
    const cases = [
      [{ status: 503, headers: { 'retry-after': '7' }, body: { error: { code: 'overloaded', message: 'too many searches at once' } } },
        [/try again in 7 seconds/i, /unavailable.*503/i, /too many searches at once/, /busy/]],
      [{ status: 503, headers: {}, body: { error: { code: 'search_timeout', message: 'the search took too long' } } },
        [/the search took too long/, /unavailable.*503/i, /busy/, /try again in a moment/i]],
      [{ status: 502, headers: {}, body: '<html>Bad gateway</html>' }, [/unavailable.*error 502/i]],
      [{ status: 500, headers: {}, body: { error: { code: 'x', message: 'the index is being rebuilt' } } }, [/error 500.*the index is being rebuilt/]],
    ];
    let n = 0;
    for (const [reply, expect] of cases) {
      await page.unroute(isSearch);
      await fakeSearch(page, reply.body, { status: reply.status, headers: reply.headers });
      await type(page, ` e${n++}`);
      const error = page.locator(ERROR, { hasText: expect[0] });
      await error.waitFor();
      const msg = await error.innerText();
      for (const re of expect) assert.match(msg, re);
      assert.doesNotMatch(msg, /<html>/, 'a body that is not our JSON is not shown');
    }
  });
});

test('embedded on another origin with an absolute --url-pattern, result links point at the site', async () => {
  let apiUrl = '';
  const host = await startHost({ '/': () => selfHostedPage(apiUrl) });
  const server = await startServer({ content, corsOrigin: host.url, urlPattern: 'https://careers.example.com/articles/{slug}' });
  apiUrl = server.url;
  try {
    await withPage(async (page) => {
      await page.goto(`${host.url}/`);
      await search(page, 'sprint-ready tick');
      await waitForTitle(page, PO_TITLE);
      const hrefs = await page.locator(OPTION).evaluateAll((els) => els.map((e) => e.getAttribute('href')));
      assert.ok(hrefs.length >= 2);
      for (const href of hrefs) assert.ok(href.startsWith('https://careers.example.com/articles/'), href);
      assert.ok(hrefs.some((h) => h.endsWith('/what-does-a-product-owner-do#sprint-ready-tickets')), hrefs.join(' '));
    });
  } finally {
    await server.stop();
    await host.close();
  }
});

test('README documents every data-* attribute, RoleSearch.mount option and CSS variable the widget reads', () => {
  const js = asset('widget.js').toString();
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('## Dropping the search box into any site');
  assert.ok(start >= 0, 'the README has its widget section');
  const next = readme.indexOf('\n## ', start + 1);
  const doc = readme.slice(start, next < 0 ? undefined : next);
  const attrs = new Set();
  for (const m of js.matchAll(/\bds\.([a-zA-Z]+)/g)) attrs.add('data-' + m[1].replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
  for (const m of js.matchAll(/getAttribute\('(data-[a-z-]+)'\)/g)) if (m[1] !== 'data-role') attrs.add(m[1]);
  assert.ok(attrs.size >= 9, [...attrs].join(' '));
  for (const a of attrs) assert.ok(doc.includes('`' + a), `README documents ${a}`);
  const options = new Set([...js.matchAll(/\bopts\.([a-zA-Z]+)/g)].map((m) => m[1]));
  assert.ok(options.size >= 10, [...options].join(' '));
  for (const o of options) assert.ok(doc.includes('`' + o + '`'), `README documents the mount option ${o}`);
  for (const m of js.matchAll(/var\((--rolesearch-[a-z-]+)/g)) assert.ok(doc.includes('`' + m[1] + '`'), `README documents ${m[1]}`);
  for (const flag of ['--cors-origin', '--url-pattern']) assert.ok(doc.includes(flag), `README explains ${flag}`);
});

function localizedPage(apiUrl, lang, extra = '') {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>Carrières</title></head>
<body><div id="career-search"></div>
<script src="${apiUrl}/widget.js" data-target="#career-search" data-endpoint="${apiUrl}" ${extra}></script>
</body></html>`;
}

test('the widget searches the host page\'s language, or every locale with data-locale="*"', async () => {
  let api = '';
  const host = await startHost({
    '/fr.html': () => localizedPage(api, 'fr'),
    '/all.html': () => localizedPage(api, 'fr', 'data-locale="*"'),
    '/de.html': () => localizedPage(api, 'en', 'data-locale="de"'),
  });
  const server = await startServer({ content, corsOrigin: host.url });
  api = server.url;
  try {
    const localeOf = async (page, pathName, query) => {
      await page.goto(`${host.url}${pathName}`);
      const request = page.waitForRequest((r) => isSearch(r.url()) && new URL(r.url()).searchParams.get('q') === query);
      await type(page, query);
      const sent = new URL((await request).url()).searchParams.getAll('locale');
      await settled(page);
      const hrefs = await page.locator(OPTION).evaluateAll((els) => els.map((e) => e.getAttribute('href')));
      return { sent, hrefs };
    };
    await withPage(async (page) => {
      const fr = await localeOf(page, '/fr.html', 'product owner');
      assert.deepEqual(fr.sent, ['fr']);
      assert.ok(fr.hrefs.length > 0);
      assert.ok(fr.hrefs.some((h) => h.includes('que-fait-un-product-owner')), fr.hrefs.join(' '));
      assert.ok(!fr.hrefs.some((h) => h.includes('what-does-a-product-owner-do')), fr.hrefs.join(' '));
      const all = await localeOf(page, '/all.html', 'product owner');
      assert.deepEqual(all.sent, []);
      assert.ok(all.hrefs.some((h) => h.includes('what-does-a-product-owner-do')), all.hrefs.join(' '));
      const de = await localeOf(page, '/de.html', 'product owner');
      assert.deepEqual(de.sent, ['de']);
      assert.ok(de.hrefs.some((h) => h.includes('produktmanager-vs-product-owner') || h.includes('product-owner-vs-business-analyst')), de.hrefs.join(' '));
    });
  } finally {
    await server.stop();
    await host.close();
  }
});
