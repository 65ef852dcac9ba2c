// Helpers for the browser tests: a real `rolesearch serve`, a content
// folder with the fixtures, a tiny static host server, headless Chromium.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
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

function binary() {
  return process.env.ROLESEARCH_BIN || path.join(REPO, 'target', 'debug', 'rolesearch');
}

/**
 * Starts `rolesearch serve` on 127.0.0.1 (a free port chosen by the OS)
 * with a fresh, empty index folder, and resolves once it prints
 * "listening on http://…".
 */
function startServer({ content, corsOrigin } = {}) {
  const index = tempDir('rs-browser-index-');
  const args = ['serve', '--addr', '127.0.0.1:0', '--index', index, '--content', content || makeContent()];
  if (corsOrigin) args.push('--cors-origin', corsOrigin);
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

/** A static server on another port: `pages` maps a path to a function returning HTML. */
function startHost(pages) {
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url, 'http://x').pathname];
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

module.exports = { REPO, CHROMIUM, makeContent, startServer, startHost, launchBrowser };
