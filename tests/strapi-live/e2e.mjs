// The real-Strapi end-to-end run: a Strapi 5 app (installed by
// scripts/strapi-e2e) sends its webhooks to `rolesearch serve`, an editor
// works through the content manager and the Content API, and the search is
// checked after each step; then `rolesearch sync` is checked against what
// Strapi publishes, per locale. See README.md beside this file.
//
// Environment (set by scripts/strapi-e2e): STRAPI_APP (the installed app),
// E2E_RUN (an empty folder for this run: logs, indexes, pids), E2E_MODEL
// (tests/strapi-live/model), ROLESEARCH_BIN. Optional: E2E_VERBOSE=1;
// STRAPI_E2E_DIRECT=1 points Strapi's webhook at rolesearch itself instead
// of at the recording relay (which forwards each request byte for byte to
// rolesearch, hands Strapi rolesearch's answer, and keeps both in
// E2E_RUN/webhooks/ so a failure can say which event got which answer).
//
// Prints one line per step, `ok <step>` or `FAIL <step>: <expected, seen>`,
// then a summary; exits 1 when a step failed, 2 when the run could not get
// as far as the editor flow (Strapi or rolesearch did not start).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import nodeHttp from 'node:http';
import net from 'node:net';
import path from 'node:path';

const APP = must('STRAPI_APP');
const RUN = must('E2E_RUN');
const MODEL = must('E2E_MODEL');
const BIN = must('ROLESEARCH_BIN');
const VERBOSE = process.env.E2E_VERBOSE === '1';
const DIRECT = process.env.STRAPI_E2E_DIRECT === '1';

const ADMIN = { email: 'e2e-admin@example.com', password: 'E2e-admin-pass-1', firstname: 'E2E', lastname: 'Admin' };
const WEBHOOK_SECRET = `e2e-secret-${Math.random().toString(36).slice(2, 12)}`;
const CM = '/content-manager/collection-types/api::article.article';
const ENTRY_EVENTS = ['entry.create', 'entry.update', 'entry.delete', 'entry.publish', 'entry.unpublish'];

const STRAPI_BOOT_MS = 300_000; // a cold boot on 2 busy cores
const HTTP_TIMEOUT_MS = 60_000;
const SETTLE_MS = 30_000; // Strapi's webhooks for one action
const QUIET_MS = 500; // no new webhook for this long: the action's webhooks are in
const POLL_MS = 3_000; // a check on the webhook-fed index (webhooks are applied before rolesearch answers)
const POLL_SYNCED_MS = 5_000; // a check on a server whose index another process (sync) changed
const SYNC_TIMEOUT_MS = 180_000;

function must(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`e2e.mjs: ${name} is not set (run scripts/strapi-e2e)`);
    process.exit(2);
  }
  return v;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => VERBOSE && console.log('  ·', ...a);

// ---------------------------------------------------------------- processes

const children = new Set();

function startProcess(name, cmd, args, opts) {
  const out = fs.openSync(path.join(RUN, `${name}.log`), 'a');
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.name = name;
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.on('exit', () => children.delete(child));
  children.add(child);
  fs.appendFileSync(path.join(RUN, 'pids'), `${child.pid}\n`);
  return child;
}

// SIGTERM to the process group, then SIGKILL after 15 s.
async function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  const done = await Promise.race([child.exited, sleep(15_000).then(() => null)]);
  if (!done) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    await Promise.race([child.exited, sleep(5_000)]);
  }
}

function killAllNow() {
  for (const c of children) {
    try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}
process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { killAllNow(); process.exit(130); });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 25) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// --------------------------------------------------------------------- http

async function http(method, url, { token, body, headers = {}, timeoutMs = HTTP_TIMEOUT_MS } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    return { status: 0, text: String(e.cause?.code || e.message), json: null };
  }
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, text, json };
}

function short(r) {
  return `${r.status} ${r.text.slice(0, 300).replace(/\s+/g, ' ')}`;
}

class StepError extends Error {}

// A request that must answer one of `ok` statuses, or the step fails.
async function call(what, method, url, opts = {}, ok = [200, 201, 204]) {
  const r = await http(method, url, opts);
  log(method, url.replace(/^https?:\/\/[^/]+/, ''), r.status);
  if (!ok.includes(r.status)) throw new StepError(`${what}: expected HTTP ${ok.join('/')}, got ${short(r)}`);
  return r;
}

// ------------------------------------------------------------------- strapi

const strapi = { port: 0, url: '', child: null, jwt: '', readToken: '', writeToken: '', webhookId: null, localized: false };

function applyModel({ localized }) {
  const src = path.join(APP, 'src');
  fs.rmSync(path.join(src, 'api'), { recursive: true, force: true });
  fs.rmSync(path.join(src, 'components'), { recursive: true, force: true });
  fs.cpSync(path.join(MODEL, 'api'), path.join(src, 'api'), { recursive: true });
  fs.cpSync(path.join(MODEL, 'components'), path.join(src, 'components'), { recursive: true });
  for (const f of ['admin.js', 'server.js']) fs.copyFileSync(path.join(MODEL, 'config', f), path.join(APP, 'config', f));
  if (localized) localizeArticle();
}

// i18n on for `article`: on the type and on every string, text, uid, media
// and dynamic-zone attribute (relations follow their document's locale).
function localizeArticle() {
  const file = path.join(APP, 'src/api/article/content-types/article/schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  schema.pluginOptions = { ...schema.pluginOptions, i18n: { localized: true } };
  for (const attr of Object.values(schema.attributes)) {
    if (['string', 'text', 'richtext', 'uid', 'media', 'dynamiczone', 'blocks'].includes(attr.type)) {
      attr.pluginOptions = { ...attr.pluginOptions, i18n: { localized: true } };
    }
  }
  fs.writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
}

async function startStrapi() {
  const started = Date.now();
  const env = {
    ...process.env,
    NODE_ENV: 'development', // production refuses webhooks to local addresses
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
    BROWSER: 'none',
    HOST: '127.0.0.1',
    PORT: String(strapi.port),
  };
  strapi.child = startProcess('strapi', process.execPath, [path.join(APP, 'node_modules/@strapi/strapi/bin/strapi.js'), 'start'], { cwd: APP, env });
  while (Date.now() - started < STRAPI_BOOT_MS) {
    if (strapi.child.exitCode !== null || strapi.child.signalCode !== null) {
      throw new StepError(`Strapi exited while starting (code ${strapi.child.exitCode}):\n${tail(path.join(RUN, 'strapi.log'))}`);
    }
    const r = await http('GET', `${strapi.url}/_health`, { timeoutMs: 2_000 });
    if (r.status === 204 || r.status === 200) return Date.now() - started;
    await sleep(500);
  }
  throw new StepError(`Strapi did not answer /_health within ${STRAPI_BOOT_MS / 1000}s:\n${tail(path.join(RUN, 'strapi.log'))}`);
}

async function stopStrapi() {
  await stopProcess(strapi.child);
  strapi.child = null;
}

const S = (p) => `${strapi.url}${p}`;
const admin = (what, method, p, body, ok) => call(what, method, S(p), { token: strapi.jwt, body }, ok);
const content = (what, method, p, body, ok) => call(what, method, S(p), { token: strapi.writeToken, body }, ok);
const q = (locale) => (locale ? `?locale=${locale}` : '');

// The editor's content-manager calls (what the admin panel sends). Create,
// update, publish and unpublish read the locale from the body; delete from
// the query string. Both are sent.
const editor = {
  async createDraft(data, locale) {
    const r = await admin('create a draft', 'POST', `${CM}${q(locale)}`, locale ? { ...data, locale } : data);
    return r.json.data.documentId;
  },
  update: (id, data, locale) => admin('save the draft', 'PUT', `${CM}/${id}${q(locale)}`, locale ? { ...data, locale } : data),
  publish: (id, data, locale) => admin('publish', 'POST', `${CM}/${id}/actions/publish${q(locale)}`, locale ? { ...data, locale } : data),
  unpublish: (id, locale) => admin('unpublish', 'POST', `${CM}/${id}/actions/unpublish${q(locale)}`, locale ? { locale } : {}),
  remove: (id, locale) => admin('delete', 'DELETE', `${CM}/${id}${q(locale)}`),
};

// The Content API with the full-access token (published unless ?status=draft).
const api = {
  async create(data, locale) {
    const r = await content('Content API create', 'POST', `/api/articles${q(locale)}`, { data });
    return r.json.data.documentId;
  },
  put: (id, data, locale) => content('Content API update', 'PUT', `/api/articles/${id}${q(locale)}`, { data }),
};

// What Strapi publishes, per locale, read with the read-only token.
async function strapiPublished() {
  // `locale` is no field of a type that is not localized (400 "Invalid key locale").
  const fields = `fields[0]=title&fields[1]=slug${strapi.localized ? '&fields[2]=locale&locale=*' : ''}`;
  const loc = '';
  const out = new Map();
  for (let page = 1; page < 100; page++) {
    const r = await call('list published articles', 'GET', S(`/api/articles?${fields}${loc}&pagination[pageSize]=100&pagination[page]=${page}`), { token: strapi.readToken });
    for (const e of r.json.data) out.set(`${e.documentId}@${e.locale || 'en'}`, { slug: e.slug, title: e.title });
    if (page >= r.json.meta.pagination.pageCount) break;
  }
  return out;
}

// -------------------------------------------------------------------- relay

// Strapi's webhook goes to this relay (unless STRAPI_E2E_DIRECT=1): each
// request is forwarded to rolesearch unchanged and rolesearch's answer goes
// back to Strapi; both are kept, in order, for the failure messages.
const relay = { url: '', server: null, records: [] };
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

async function startRelay() {
  const dir = path.join(RUN, 'webhooks');
  fs.mkdirSync(dir, { recursive: true });
  relay.server = nodeHttp.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (!HOP_BY_HOP.has(req.rawHeaders[i].toLowerCase())) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    }
    let status = 502, text = '';
    try {
      const r = await fetch(`${rs.url}/webhooks/strapi`, { method: req.method, headers, body, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
      status = r.status;
      text = await r.text();
    } catch (e) {
      text = `relay: rolesearch did not answer: ${e.cause?.code || e.message}`;
    }
    const seq = relay.records.length + 1;
    const event = req.headers['x-strapi-event'] || '?';
    const rec = { seq, event, status, response: text, headers: headers.filter(([k]) => k.toLowerCase() !== 'authorization'), body: body.toString('utf8') };
    relay.records.push(rec);
    fs.writeFileSync(path.join(dir, `${String(seq).padStart(3, '0')}-${event.replace(/[^\w.-]/g, '_')}.json`), JSON.stringify(rec, null, 2) + '\n');
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(text);
  });
  await new Promise((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${relay.server.address().port}/strapi-webhook`;
}

// One line per recorded webhook: what Strapi sent, what rolesearch answered.
function describeRecord(r) {
  let what = '';
  try {
    const b = JSON.parse(r.body);
    const e = b.entry || {};
    what = b.model ? ` ${b.model} ${e.documentId || e.id}@${e.locale ?? '(no locale)'} slug=${e.slug} publishedAt=${e.publishedAt ? 'set' : 'null'}` : ` ${r.body.slice(0, 120)}`;
  } catch { what = ` (body not JSON) ${r.body.slice(0, 120)}`; }
  return `#${r.seq} ${r.event}${what} -> ${r.status} ${r.response.slice(0, 300)}`;
}

// --------------------------------------------------------------- rolesearch

const rs = { url: '', child: null };

async function startRolesearch(name, index, extraEnv = {}) {
  const content = path.join(RUN, `${name}-content`);
  fs.mkdirSync(index, { recursive: true });
  fs.mkdirSync(content, { recursive: true });
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || 'info', ...extraEnv };
  delete env.ROLESEARCH_STRAPI_URL;
  const child = startProcess(name, BIN, ['serve', '--addr', '127.0.0.1:0', '--index', index, '--content', content], { env });
  const logFile = path.join(RUN, `${name}.log`);
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    if (child.exitCode !== null || child.signalCode !== null) throw new StepError(`rolesearch serve exited while starting:\n${tail(logFile)}`);
    const m = fs.readFileSync(logFile, 'utf8').match(/listening on (http:\/\/\S+)/);
    if (m) {
      const url = m[1].replace(/\/$/, '');
      const h = await http('GET', `${url}/health`, { timeoutMs: 2_000 });
      if (h.status === 200) return { url, child };
    }
    await sleep(200);
  }
  throw new StepError(`rolesearch serve did not start within 120s:\n${tail(logFile)}`);
}

function params(qs) {
  return Object.entries(qs)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
    .join('&');
}

async function rsGet(base, p, qs = {}) {
  const s = params(qs);
  return http('GET', `${base}${p}${s ? `?${s}` : ''}`, { timeoutMs: 10_000 });
}

async function articleCount(base) {
  const r = await rsGet(base, '/health');
  return r.json?.articles;
}

// Webhooks rolesearch has answered, by status (from /metrics).
async function webhookCounts(base = rs.url) {
  const r = await rsGet(base, '/metrics');
  const counts = {};
  for (const m of r.text.matchAll(/rolesearch_requests_total\{route="\/webhooks\/strapi",status="(\d+)"\} (\d+)/g)) counts[m[1]] = Number(m[2]);
  return counts;
}
const total = (c) => Object.values(c).reduce((a, b) => a + b, 0);
function diff(after, before) {
  const d = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] || 0) > 0) d[k] = v - (before[k] || 0);
  return d;
}
const fmtCounts = (c) => Object.entries(c).map(([k, v]) => `${k}×${v}`).join(' ') || 'none';

// Polls `probe` (returning [done, seen]) until done or `ms` passed.
const pollMs = (base) => (base === rs.url ? POLL_MS : POLL_SYNCED_MS);
async function poll(probe, ms = POLL_MS) {
  const started = Date.now();
  let last;
  for (;;) {
    last = await probe();
    if (last[0] || Date.now() - started > ms) return last;
    await sleep(150);
  }
}

// ------------------------------------------------------------------- model

// Nonsense words: each article version carries its own, so checks are exact.
const used = new Set();
function word() {
  const c = 'bdfgklmnprstvz', v = 'aeiou';
  for (;;) {
    let w = '';
    for (let i = 0; i < 5; i++) w += c[Math.floor(Math.random() * c.length)] + v[Math.floor(Math.random() * v.length)];
    if (!used.has(w)) { used.add(w); return w; }
  }
}
const RUN_WORD = word(); // in every article: the locale facet counts all

function articleData({ w, slug, lang = 'en' }) {
  const fr = lang === 'fr';
  return {
    title: fr ? `Carrière ${w} produit` : `Career ${w} guide`,
    description: fr ? `Description ${w}` : `About ${w}`,
    slug,
    blocks: [
      { __component: 'shared.rich-text', body: fr
        ? `## Notes ${w}\n\nParagraphe ${w} sur les product owners et ${RUN_WORD}.\n`
        : `## Notes ${w}\n\nParagraph ${w} about product owners and ${RUN_WORD}.\n` },
      { __component: 'shared.quote', title: `Quote ${w}`, body: `A product manager on ${w}.` },
    ],
  };
}

// What the index must hold: (documentId, locale) -> {slug, title, word}.
const expected = new Map();
const removed = []; // {word, slug, locale}: must not be found
const key = (id, locale) => `${id}@${locale}`;
function expect(id, locale, slug, w, title) { expected.set(key(id, locale), { id, locale, slug, word: w, title }); }
function forget(id, locale) {
  const e = expected.get(key(id, locale));
  if (e) { removed.push(e); expected.delete(key(id, locale)); }
}

// ------------------------------------------------------------------ checks

// One step's findings: `check` records a failure, the step line reports all.
class Findings {
  constructor() { this.fails = []; }
  fail(msg) { this.fails.push(msg); }
}

// The webhooks of one action are in: at least `min` more answered, then
// none for QUIET_MS. Non-2xx answers are findings.
async function settle(f, before, min, what, firstRecord = relay.records.length) {
  const started = Date.now();
  let last = total(before), lastChange = Date.now(), now = before;
  while (Date.now() - started < SETTLE_MS) {
    now = await webhookCounts();
    const n = total(now);
    if (n !== last) { last = n; lastChange = Date.now(); }
    if (n - total(before) >= min && Date.now() - lastChange >= QUIET_MS) break;
    await sleep(100);
  }
  const d = diff(now, before);
  log(`${what}: webhooks ${fmtCounts(d)}`);
  if (total(d) < min) f.fail(`${what}: expected at least ${min} webhook(s) from Strapi, rolesearch answered ${fmtCounts(d)}`);
  const bad = Object.entries(d).filter(([s]) => !s.startsWith('2'));
  if (bad.length) {
    const seen = DIRECT
      ? grepLog(rs.logFile, /webhook|WARN|ERROR/i, 6)
      : relay.records.slice(firstRecord).filter((r) => !String(r.status).startsWith('2')).map((r) => `      ${describeRecord(r)}`).join('\n');
    f.fail(`${what}: rolesearch answered Strapi's webhooks ${fmtCounts(d)} (expected only 2xx):\n${seen}`);
  }
  if (VERBOSE && !DIRECT) for (const r of relay.records.slice(firstRecord)) log(`    ${describeRecord(r)}`);
  return d;
}

function grepLog(file, re, n) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => re.test(l)).slice(-n).map((l) => `      ${l.slice(0, 400)}`).join('\n');
  } catch { return ''; }
}

// Runs a Strapi action and waits for its webhooks.
async function act(f, what, min, fn) {
  const before = await webhookCounts();
  const first = relay.records.length;
  const result = await fn();
  await settle(f, before, min, what, first);
  return result;
}

const hitsOf = (r) => (Array.isArray(r.json?.hits) ? r.json.hits : []);
const describeHits = (r) => (r.status !== 200 ? short(r) : `${hitsOf(r).length} hit(s) [${hitsOf(r).map((h) => `${h.slug}${h.locale !== undefined ? `@${h.locale}` : '@(no locale)'}`).join(', ')}]`);

// `w` finds exactly the article `slug` (in `locale` when given, checking
// the hit's `locale`), with the `filter` locale parameter when given.
async function expectFound(f, base, w, { slug, locale, filter, what = `"${w}"` }) {
  const [ok, r] = await poll(async () => {
    const r = await rsGet(base, '/search', { q: w, limit: 20, locale: filter });
    const hits = hitsOf(r);
    const good = r.status === 200 && hits.length === 1 && hits[0].slug === slug && (locale === undefined || hits[0].locale === locale);
    return [good, r];
  }, pollMs(base));
  if (!ok) f.fail(`search ${what}${filter ? ` &locale=${filter}` : ''}: expected exactly 1 hit ${slug}${locale ? `@${locale}` : ''}, saw ${describeHits(r)}`);
}

async function expectAbsent(f, base, w, { filter, what = `"${w}"` } = {}) {
  const [ok, r] = await poll(async () => {
    const r = await rsGet(base, '/search', { q: w, limit: 20, locale: filter });
    return [r.status === 200 && hitsOf(r).length === 0, r];
  }, pollMs(base));
  if (!ok) f.fail(`search ${what}${filter ? ` &locale=${filter}` : ''}: expected no hit, saw ${describeHits(r)}`);
}

async function expectCount(f, base, n = expected.size) {
  const [ok, seen] = await poll(async () => {
    const c = await articleCount(base);
    return [c === n, c];
  }, pollMs(base));
  if (!ok) f.fail(`/health articles: expected ${n}, saw ${seen}`);
}

async function expectArticle(f, base, slug, { locale, title, status = 200 }) {
  const r = await rsGet(base, `/articles/${encodeURIComponent(slug)}`, { locale });
  const where = `/articles/${slug}${locale ? `?locale=${locale}` : ''}`;
  if (r.status !== status) return f.fail(`${where}: expected HTTP ${status}, saw ${short(r)}`);
  if (status !== 200) return;
  if (title && r.json?.title !== title) f.fail(`${where}: expected title "${title}", saw "${r.json?.title}"`);
  if (locale && r.json?.locale !== locale) f.fail(`${where}: expected "locale":"${locale}", saw ${JSON.stringify(r.json?.locale)}`);
}

// Every expected article is found by its word in its locale (with the
// locale filter), each removed one is absent, and the count is right.
async function expectIndexEqualsModel(f, base) {
  await expectCount(f, base);
  for (const e of expected.values()) {
    if (strapi.localized) await expectFound(f, base, e.word, { slug: e.slug, locale: e.locale, filter: e.locale });
    else await expectFound(f, base, e.word, { slug: e.slug });
  }
  for (const e of removed) await expectAbsent(f, base, e.word);
}

// ------------------------------------------------------------------- steps

const results = [];
let fatal = false;

async function step(name, fn) {
  if (fatal) {
    results.push({ name, ok: false, skipped: true, msg: 'not run (an earlier step could not set up)' });
    console.log(`FAIL ${name}: not run (an earlier step could not set up)`);
    return;
  }
  const f = new Findings();
  const started = Date.now();
  try {
    await fn(f);
  } catch (e) {
    f.fail(e instanceof StepError ? e.message : e.stack || String(e));
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const ok = f.fails.length === 0;
  results.push({ name, ok, msg: f.fails.join('; '), secs });
  if (ok) console.log(`ok ${name}`);
  else console.log(`FAIL ${name}: ${f.fails.join('\n    ')}`);
  log(`(${secs}s)`);
  return ok;
}

// A setup step: when it fails nothing after it can run.
async function setup(name, fn) {
  const ok = await step(name, fn);
  if (!ok) fatal = true;
}

async function main() {
  const t0 = Date.now();
  const timings = {};
  strapi.port = await freePort();
  strapi.url = `http://127.0.0.1:${strapi.port}`;

  await setup('strapi starts', async () => {
    fs.rmSync(path.join(APP, '.tmp'), { recursive: true, force: true }); // a fresh SQLite database
    fs.mkdirSync(path.join(APP, '.tmp'));
    fs.rmSync(path.join(APP, 'public/uploads'), { recursive: true, force: true });
    fs.mkdirSync(path.join(APP, 'public/uploads'), { recursive: true });
    applyModel({ localized: false });
    timings.boot1 = await startStrapi();
  });

  await setup('strapi admin and tokens', async () => {
    const info = await call('registration info', 'GET', S('/admin/init'));
    if (info.json?.data?.hasAdmin) throw new StepError('a fresh database already has an admin');
    await call('register the first admin', 'POST', S('/admin/register-admin'), { body: ADMIN });
    // The one login of the run (Strapi answers 429 after five in five minutes).
    const login = await call('admin login', 'POST', S('/admin/login'), { body: { email: ADMIN.email, password: ADMIN.password } });
    strapi.jwt = login.json.data.token;
    const token = async (type) => {
      const r = await admin(`create a ${type} API token`, 'POST', '/admin/api-tokens', { name: `e2e ${type}`, description: 'rolesearch e2e', type, lifespan: null });
      return r.json.data.accessKey;
    };
    strapi.readToken = await token('read-only');
    strapi.writeToken = await token('full-access');
  });

  await setup('rolesearch serve starts', async () => {
    const s = await startRolesearch('rolesearch', path.join(RUN, 'index'), { ROLESEARCH_WEBHOOK_SECRET: WEBHOOK_SECRET });
    rs.url = s.url;
    rs.child = s.child;
    rs.logFile = path.join(RUN, 'rolesearch.log');
    if ((await articleCount(rs.url)) !== 0) throw new StepError('a fresh index with an empty content folder is not empty');
    if (!DIRECT) await startRelay();
  });

  await setup('webhook registered', async () => {
    const r = await admin('create the webhook', 'POST', '/admin/webhooks', {
      name: 'rolesearch',
      url: DIRECT ? `${rs.url}/webhooks/strapi` : relay.url,
      headers: { Authorization: `Bearer ${WEBHOOK_SECRET}` },
      events: ENTRY_EVENTS,
    });
    strapi.webhookId = r.json.data.id;
    const list = await admin('list webhooks', 'GET', '/admin/webhooks');
    if (!list.json.data.some((w) => w.id === strapi.webhookId && w.isEnabled)) throw new StepError(`the webhook is not listed as enabled: ${list.text.slice(0, 300)}`);
  });

  // ---- 1. before i18n: the editor's whole lifecycle of one article.
  const A = { slug: `career-${word()}` };
  let w1 = word();
  await step('1a draft is not searchable', async (f) => {
    A.id = await act(f, 'create a draft', 1, () => editor.createDraft(articleData({ w: w1, slug: A.slug })));
    await expectAbsent(f, rs.url, w1);
    await expectCount(f, rs.url, 0);
  });
  await step('1b publish makes it searchable', async (f) => {
    await act(f, 'publish', 2, () => editor.publish(A.id, articleData({ w: w1, slug: A.slug })));
    await expectFound(f, rs.url, w1, { slug: A.slug });
    await expectArticle(f, rs.url, A.slug, { title: articleData({ w: w1 }).title });
    await expectCount(f, rs.url, 1);
  });
  const w2 = word();
  await step('1c edit and republish: new text found, old text gone', async (f) => {
    await act(f, 'save the draft', 1, () => editor.update(A.id, articleData({ w: w2, slug: A.slug })));
    // A draft save must not change what readers find.
    await expectFound(f, rs.url, w1, { slug: A.slug, what: `"${w1}" (after a draft save, before the publish)` });
    await act(f, 'republish', 2, () => editor.publish(A.id, articleData({ w: w2, slug: A.slug })));
    await expectFound(f, rs.url, w2, { slug: A.slug });
    await expectAbsent(f, rs.url, w1);
    await expectCount(f, rs.url, 1);
  });
  await step('1d unpublish removes it', async (f) => {
    await act(f, 'unpublish', 1, () => editor.unpublish(A.id));
    await expectAbsent(f, rs.url, w2);
    await expectArticle(f, rs.url, A.slug, { status: 404 });
    await expectCount(f, rs.url, 0);
  });
  await step('1e republish brings it back', async (f) => {
    await act(f, 'publish again', 2, () => editor.publish(A.id, articleData({ w: w2, slug: A.slug })));
    await expectFound(f, rs.url, w2, { slug: A.slug });
    await expectCount(f, rs.url, 1);
  });
  await step('1f delete removes it', async (f) => {
    await act(f, 'delete', 2, () => editor.remove(A.id));
    await expectAbsent(f, rs.url, w2);
    await expectArticle(f, rs.url, A.slug, { status: 404 });
    await expectCount(f, rs.url, 0);
    removed.push({ word: w1 }, { word: w2 });
  });
  // Legacy content: published before i18n, one by the editor, one over the Content API.
  const L1 = { slug: `legacy-${word()}`, w: word() };
  const L2 = { slug: `legacy-${word()}`, w: word() };
  await step('1g legacy articles published', async (f) => {
    L1.id = await act(f, 'editor: create a draft', 1, () => editor.createDraft(articleData({ w: L1.w, slug: L1.slug })));
    await act(f, 'editor: publish', 2, () => editor.publish(L1.id, articleData({ w: L1.w, slug: L1.slug })));
    L2.id = await act(f, 'Content API: create (published)', 2, () => api.create(articleData({ w: L2.w, slug: L2.slug })));
    expect(L1.id, 'en', L1.slug, L1.w);
    expect(L2.id, 'en', L2.slug, L2.w);
    await expectFound(f, rs.url, L1.w, { slug: L1.slug });
    await expectFound(f, rs.url, L2.w, { slug: L2.slug });
    await expectCount(f, rs.url, 2);
    const published = await strapiPublished();
    if (published.size !== 2) f.fail(`Strapi lists ${published.size} published articles, expected 2`);
  });

  // ---- 2. the settings page's "Trigger" button.
  await step('2 webhook trigger answered 200', async (f) => {
    // The settings page's button calls this route; Strapi posts
    // {"event":"trigger-test","createdAt":…} (no model, no entry) and
    // answers with the receiver's status ({statusCode} or {statusCode, message}).
    const before = await webhookCounts();
    const first = relay.records.length;
    const r = await admin('trigger the webhook', 'POST', `/admin/webhooks/${strapi.webhookId}/trigger`);
    const d = diff(await webhookCounts(), before);
    const status = r.json?.data?.statusCode;
    const rec = relay.records.slice(first).map((x) => `\n      ${describeRecord(x)}`).join('');
    if (status !== 200) f.fail(`Strapi reports the trigger's response as ${JSON.stringify(r.json?.data)} (expected statusCode 200); rolesearch answered ${fmtCounts(d)}${rec}`);
    await expectCount(f, rs.url, 2);
  });

  // ---- 3. i18n turned on over existing content.
  await setup('3a i18n on for article, locale fr added', async () => {
    await stopStrapi();
    applyModel({ localized: true });
    timings.boot2 = await startStrapi();
    strapi.localized = true;
    await admin('add locale fr', 'POST', '/i18n/locales', { name: 'French (fr)', code: 'fr', isDefault: false });
    const locales = await admin('list locales', 'GET', '/i18n/locales');
    const codes = locales.json.map((l) => `${l.code}${l.isDefault ? '(default)' : ''}`).sort().join(',');
    if (codes !== 'en(default),fr') throw new StepError(`locales: expected en(default),fr, saw ${codes}`);
    const published = await strapiPublished();
    const legacy = [...published.keys()].sort().join(',');
    const want = [key(L1.id, 'en'), key(L2.id, 'en')].sort().join(',');
    if (legacy !== want) throw new StepError(`after i18n, Strapi's published articles: expected ${want}, saw ${legacy}`);
  });
  L1.w2 = word();
  await step('3b legacy article edited after i18n: one article, new text', async (f) => {
    const data = articleData({ w: L1.w2, slug: L1.slug });
    await act(f, 'save the draft', 1, () => editor.update(L1.id, data, 'en'));
    await act(f, 'republish', 2, () => editor.publish(L1.id, data, 'en'));
    expect(L1.id, 'en', L1.slug, L1.w2);
    removed.push({ word: L1.w });
    await expectFound(f, rs.url, L1.w2, { slug: L1.slug });
    await expectAbsent(f, rs.url, L1.w);
    await expectFound(f, rs.url, L2.w, { slug: L2.slug, what: `"${L2.w}" (the legacy article not edited)` });
    await expectCount(f, rs.url, 2);
  });

  // ---- 4. French versions.
  const B = { slug: `career-${word()}`, slugFr: `carriere-${word()}`, w: word(), wFr: word() };
  await step('4a French version with its own slug (Content API)', async (f) => {
    B.id = await act(f, 'editor: create the en draft', 1, () => editor.createDraft(articleData({ w: B.w, slug: B.slug }), 'en'));
    await act(f, 'editor: publish en', 2, () => editor.publish(B.id, articleData({ w: B.w, slug: B.slug }), 'en'));
    await act(f, 'Content API: PUT ?locale=fr', 1, () => api.put(B.id, articleData({ w: B.wFr, slug: B.slugFr, lang: 'fr' }), 'fr'));
    expect(B.id, 'en', B.slug, B.w);
    expect(B.id, 'fr', B.slugFr, B.wFr);
    await expectFound(f, rs.url, B.wFr, { slug: B.slugFr, locale: 'fr', filter: 'fr' });
    await expectAbsent(f, rs.url, B.wFr, { filter: 'en' });
    await expectFound(f, rs.url, B.w, { slug: B.slug, locale: 'en', filter: 'en' });
    await expectAbsent(f, rs.url, B.w, { filter: 'fr' });
    await expectArticle(f, rs.url, B.slugFr, { locale: 'fr', title: articleData({ w: B.wFr, lang: 'fr' }).title });
    await expectArticle(f, rs.url, B.slug, { locale: 'en', title: articleData({ w: B.w }).title });
    await expectCount(f, rs.url);
  });
  const C = { slug: `career-${word()}`, w: word(), wFr: word() };
  await step('4b French version with the same slug (editor)', async (f) => {
    C.id = await act(f, 'editor: create the en draft', 1, () => editor.createDraft(articleData({ w: C.w, slug: C.slug }), 'en'));
    await act(f, 'editor: publish en', 2, () => editor.publish(C.id, articleData({ w: C.w, slug: C.slug }), 'en'));
    await act(f, 'editor: save the fr draft', 1, () => editor.update(C.id, articleData({ w: C.wFr, slug: C.slug, lang: 'fr' }), 'fr'));
    await act(f, 'editor: publish fr', 2, () => editor.publish(C.id, articleData({ w: C.wFr, slug: C.slug, lang: 'fr' }), 'fr'));
    expect(C.id, 'en', C.slug, C.w);
    expect(C.id, 'fr', C.slug, C.wFr);
    await expectFound(f, rs.url, C.wFr, { slug: C.slug, locale: 'fr', filter: 'fr' });
    await expectAbsent(f, rs.url, C.wFr, { filter: 'en' });
    await expectFound(f, rs.url, C.w, { slug: C.slug, locale: 'en', filter: 'en' });
    await expectArticle(f, rs.url, C.slug, { locale: 'fr', title: articleData({ w: C.wFr, lang: 'fr' }).title });
    await expectArticle(f, rs.url, C.slug, { locale: 'en', title: articleData({ w: C.w }).title });
    await expectCount(f, rs.url);
  });
  await step('4c locale facet, filters and suggest', async (f) => {
    const frCount = [...expected.values()].filter((e) => e.locale === 'fr').length;
    const enCount = expected.size - frCount;
    const all = await rsGet(rs.url, '/search', { q: RUN_WORD, limit: 50 });
    const facet = all.json?.facetDistribution?.locale;
    if (JSON.stringify(facet) !== JSON.stringify({ en: enCount, fr: frCount }) && !(facet && facet.en === enCount && facet.fr === frCount && Object.keys(facet).length === 2)) {
      f.fail(`facetDistribution.locale for the run word: expected {"en":${enCount},"fr":${frCount}}, saw ${JSON.stringify(facet)}`);
    }
    const both = await rsGet(rs.url, '/search', { q: RUN_WORD, limit: 50, locale: ['en', 'fr'] });
    if (hitsOf(both).length !== expected.size) f.fail(`search the run word &locale=en&locale=fr: expected ${expected.size} hits, saw ${describeHits(both)}`);
    const fr = await rsGet(rs.url, '/search', { q: RUN_WORD, limit: 50, locale: 'fr' });
    const frHits = hitsOf(fr);
    if (frHits.length !== frCount || frHits.some((h) => h.locale !== 'fr')) f.fail(`search the run word &locale=fr: expected ${frCount} hits all "locale":"fr", saw ${describeHits(fr)}`);
    const sugg = async (locale) => {
      const r = await rsGet(rs.url, '/suggest', { q: `Carrière ${C.wFr.slice(0, 6)}`, locale });
      const items = Array.isArray(r.json) ? r.json : r.json?.suggestions || [];
      return [r, items.some((s) => JSON.stringify(s).toLowerCase().includes(C.wFr))];
    };
    const [rf, inFr] = await sugg('fr');
    if (!inFr) f.fail(`suggest "${C.wFr.slice(0, 6)}" &locale=fr: expected the fr title, saw ${short(rf)}`);
    const [re, inEn] = await sugg('en');
    if (inEn) f.fail(`suggest "${C.wFr.slice(0, 6)}" &locale=en: expected no fr title, saw ${short(re)}`);
  });

  // ---- 5. the French version alone goes away; the English one stays.
  const enUntouched = async (f) => {
    await expectFound(f, rs.url, C.w, { slug: C.slug, locale: 'en', filter: 'en' });
    await expectArticle(f, rs.url, C.slug, { locale: 'en', title: articleData({ w: C.w }).title });
  };
  await step('5a unpublish the French version only', async (f) => {
    await act(f, 'editor: unpublish fr', 1, () => editor.unpublish(C.id, 'fr'));
    expected.delete(key(C.id, 'fr'));
    await expectAbsent(f, rs.url, C.wFr);
    await expectArticle(f, rs.url, C.slug, { locale: 'fr', status: 404 });
    await enUntouched(f);
    await expectCount(f, rs.url);
  });
  await step('5b republish the French version', async (f) => {
    await act(f, 'editor: publish fr', 2, () => editor.publish(C.id, articleData({ w: C.wFr, slug: C.slug, lang: 'fr' }), 'fr'));
    expect(C.id, 'fr', C.slug, C.wFr);
    await expectFound(f, rs.url, C.wFr, { slug: C.slug, locale: 'fr', filter: 'fr' });
    await enUntouched(f);
    await expectCount(f, rs.url);
  });
  await step('5c delete the French version only', async (f) => {
    await act(f, 'editor: delete fr', 2, () => editor.remove(C.id, 'fr'));
    forget(C.id, 'fr');
    await expectAbsent(f, rs.url, C.wFr);
    await expectArticle(f, rs.url, C.slug, { locale: 'fr', status: 404 });
    await enUntouched(f);
    await expectCount(f, rs.url);
  });

  // ---- 6. sync leaves the index equal to what Strapi publishes.
  await step('6a Strapi publishes what the editor did', async (f) => {
    const published = await strapiPublished();
    const want = [...expected.entries()].map(([k, e]) => `${k}=${e.slug}`).sort();
    const seen = [...published.entries()].map(([k, e]) => `${k}=${e.slug}`).sort();
    if (want.join(',') !== seen.join(',')) f.fail(`Strapi /api/articles?locale=*: expected ${want.join(', ')}; saw ${seen.join(', ')}`);
  });
  const sync = (index, extra = []) => {
    const started = Date.now();
    const r = spawnSync(BIN, ['sync', '--strapi-url', strapi.url, '--index', index, ...extra], {
      env: { ...process.env, ROLESEARCH_STRAPI_TOKEN: strapi.readToken, RUST_LOG: 'warn' },
      encoding: 'utf8',
      timeout: SYNC_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim();
    fs.appendFileSync(path.join(RUN, 'sync.log'), `$ sync --index ${index} ${extra.join(' ')}\n${out}\nexit ${r.status} signal ${r.signal} in ${Date.now() - started}ms\n\n`);
    log(`sync ${extra.join(' ')}: exit ${r.status}: ${out.split('\n').slice(-1)[0]}`);
    return { status: r.error ? `error ${r.error.code}` : r.status, out, line: out.replace(/\s*\n\s*/g, ' | ').slice(-500) };
  };
  // A sync of content Strapi accepted should skip nothing.
  const noneSkipped = (f, r) => {
    const m = /(\d+) skipped/.exec(r.out);
    if (m && Number(m[1]) > 0) f.fail(`rolesearch sync skipped ${m[1]} article(s): ${r.line}`);
  };
  const fresh = path.join(RUN, 'sync-index');
  let freshServer = null;
  await step('6b sync into a fresh index equals Strapi', async (f) => {
    const r = sync(fresh);
    if (r.status !== 0) throw new StepError(`rolesearch sync: expected exit 0, saw ${r.status}: ${r.line}`);
    noneSkipped(f, r);
    freshServer = await startRolesearch('rolesearch-synced', fresh);
    await expectIndexEqualsModel(f, freshServer.url);
  });
  await step('6c sync over the webhook-built index equals Strapi', async (f) => {
    const r = sync(path.join(RUN, 'index'));
    if (r.status !== 0) throw new StepError(`rolesearch sync: expected exit 0, saw ${r.status}: ${r.line}`);
    noneSkipped(f, r);
    await expectIndexEqualsModel(f, rs.url);
  });
  await step('6d sync refuses to remove more than 20% without --allow-removals', async (f) => {
    if (!freshServer) throw new StepError('no synced index to check (6b failed)');
    // Two of the five published articles go away at Strapi (the webhooks
    // remove them from the live index; the synced index does not hear of it).
    await act(f, 'editor: delete a legacy article', 2, () => editor.remove(L1.id, 'en'));
    await act(f, 'editor: delete another legacy article', 2, () => editor.remove(L2.id, 'en'));
    const before = await articleCount(freshServer.url);
    forget(L1.id, 'en');
    forget(L2.id, 'en');
    await expectIndexEqualsModel(f, rs.url);
    const refused = sync(fresh);
    if (refused.status === 0) f.fail(`sync removing 2 of ${before} articles without --allow-removals: expected a non-zero exit, saw 0: ${refused.line}`);
    await sleep(1000);
    const after = await articleCount(freshServer.url);
    if (after !== before) f.fail(`a refused sync must leave the index as it was: expected ${before} articles, saw ${after}`);
    const allowed = sync(fresh, ['--allow-removals']);
    if (allowed.status !== 0) f.fail(`sync --allow-removals: expected exit 0, saw ${allowed.status}: ${allowed.line}`);
    await expectIndexEqualsModel(f, freshServer.url);
  });
  if (freshServer) await stopProcess(freshServer.child);

  timings.total = Date.now() - t0;
  return timings;
}

let timings = {};
let crashed = null;
try {
  timings = await main();
} catch (e) {
  crashed = e;
} finally {
  if (relay.server) relay.server.close();
  await stopProcess(rs.child);
  await stopStrapi();
  for (const c of [...children]) await stopProcess(c);
}
if (crashed) console.log(`FAIL harness: ${crashed.stack || crashed}`);

const failed = results.filter((r) => !r.ok);
const skipped = failed.filter((r) => r.skipped).length;
console.log('');
console.log(`summary: ${results.length - failed.length} passed, ${failed.length - skipped} failed, ${skipped} skipped`);
for (const r of failed) console.log(`  failed: ${r.name}`);
const s = (ms) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(1)}s`);
console.log(`strapi boot: ${s(timings.boot1)} (first), ${s(timings.boot2)} (after i18n); flow total: ${s(timings.total)}`);
console.log(`logs: ${RUN}`);
process.exitCode = crashed || fatal ? 2 : failed.length ? 1 : 0;
