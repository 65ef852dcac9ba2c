// Helpers for the browser tests: a real `rolesearch serve`, a content
// folder with the fixtures, a tiny static host server, headless Chromium,
// and the page's two static assets (server/assets/index.html and
// widget.js) served from this checkout rather than from the binary.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const ASSETS = path.join(REPO, 'server', 'assets');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const created = [];
process.on('exit', () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A content folder: a copy of the repo's content plus tests/browser/fixtures. */
function makeContent() {
  if (process.env.ROLESEARCH_CONTENT) return process.env.ROLESEARCH_CONTENT;
  const dir = tempDir('rs-browser-content-');
  fs.cpSync(path.join(REPO, 'content'), dir, { recursive: true });
  fs.cpSync(FIXTURES, path.join(dir, 'browser-fixtures'), { recursive: true });
  return dir;
}

/**
 * Where the search page and the widget come from. The binary compiles
 * server/assets/ in (include_str!), so a binary built before the last
 * change to them serves old copies. By default ("disk") the tests answer
 * `GET /` and `GET /widget.js` of a rolesearch server with the files in
 * this checkout: the request still goes to the real server and its status
 * and headers are kept, only the body is replaced. Every API request
 * (/search, /roles, …) is the real server's. ROLESEARCH_ASSETS=binary
 * tests the binary's own copies instead.
 */
const ASSET_SOURCE = process.env.ROLESEARCH_ASSETS === 'binary' ? 'binary' : 'disk';
const ASSET_FILES = { '/': 'index.html', '/widget.js': 'widget.js' };

function asset(name) {
  return fs.readFileSync(path.join(ASSETS, name));
}

/** Origins of the rolesearch servers in use: their `/` is the search page. */
const servers = new Set();
function registerServer(url) {
  servers.add(new URL(url).origin);
}

/**
 * Routes a Playwright context's requests for a rolesearch server's `/` and
 * any `/widget.js` to the files on disk (see ASSET_SOURCE). A page route
 * (page.route) still takes precedence over this one.
 */
async function serveAssetsFromDisk(context) {
  if (ASSET_SOURCE !== 'disk') return;
  await context.route((url) => {
    if (url.pathname === '/widget.js') return true;
    return url.pathname === '/' && servers.has(url.origin);
  }, async (route) => {
    const url = new URL(route.request().url());
    const body = asset(ASSET_FILES[url.pathname]);
    let response;
    try {
      response = await route.fetch();
    } catch {
      // The server is not there (a test of a server that is down): the
      // widget cannot have come from it either.
      await route.abort('connectionrefused');
      return;
    }
    if (response.status() !== 200) {
      await route.fulfill({ response });
      return;
    }
    // The server's headers (content type, caching, any security headers),
    // less those that describe its body rather than ours.
    const headers = { ...response.headers() };
    for (const h of ['content-length', 'content-encoding', 'transfer-encoding', 'etag', 'last-modified']) delete headers[h];
    await route.fulfill({ status: 200, headers, body });
  });
}

function binary() {
  return process.env.ROLESEARCH_BIN || path.join(REPO, 'target', 'debug', 'rolesearch');
}

/**
 * Starts `rolesearch serve` on 127.0.0.1 (a free port chosen by the OS)
 * with a fresh, empty index folder, and resolves once it prints
 * "listening on http://…".
 */
function startServer({ content, corsOrigin, urlPattern } = {}) {
  const index = tempDir('rs-browser-index-');
  const args = ['serve', '--addr', '127.0.0.1:0', '--index', index, '--content', content || makeContent()];
  if (corsOrigin) args.push('--cors-origin', corsOrigin);
  if (urlPattern) args.push('--url-pattern', urlPattern);
  const proc = spawn(binary(), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const stop = () => new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) { cleanup(); resolve(); return; }
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => { clearTimeout(kill); cleanup(); resolve(); });
    proc.kill('SIGTERM');
  });
  function cleanup() {
    fs.rmSync(index, { recursive: true, force: true });
  }
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`rolesearch did not start within 90 s\n${stderr}`));
    }, 90_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        registerServer(m[1]);
        resolve({ url: m[1].replace(/\/$/, ''), proc, stop });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rolesearch exited with ${code} before listening\n${stderr}`));
    });
    proc.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** The widget a site hosts itself: the checkout's, or with ROLESEARCH_ASSETS=binary the binary's. */
async function hostedWidget() {
  if (ASSET_SOURCE === 'disk') return asset('widget.js');
  const origin = [...servers][0];
  if (!origin) throw new Error('no rolesearch server to take widget.js from');
  const res = await fetch(`${origin}/widget.js`);
  if (!res.ok) throw new Error(`${origin}/widget.js: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * A static server on another port: `pages` maps a path to a function
 * returning HTML. It also serves `/widget.js` (a site hosting its own copy
 * of the widget; the only way to load it when the search server is down):
 * server/assets/widget.js, or the binary's copy with ROLESEARCH_ASSETS=binary.
 */
function startHost(pages) {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    if (pathname === '/widget.js' && !pages[pathname]) {
      hostedWidget().then((js) => {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        res.end(js);
      }, (e) => { res.writeHead(502).end(String(e)); });
      return;
    }
    const page = pages[pathname];
    if (!page) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

async function launchBrowser() {
  const { chromium } = require('playwright-core');
  // launch() gives every browser a fresh, temporary user-data dir.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** An address on 127.0.0.1 where nothing listens (a search server that is down). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}

module.exports = {
  REPO, CHROMIUM, ASSET_SOURCE, makeContent, startServer, startHost, launchBrowser,
  registerServer, serveAssetsFromDisk, asset, closedPort,
};
