/*!
 * rolesearch widget: search career articles from any page.
 *
 *   <div id="career-search"></div>
 *   <script src="https://search.example.com/widget.js"
 *           data-target="#career-search"
 *           data-endpoint="https://search.example.com"
 *           data-placeholder="Search careers…"></script>
 *
 * Attributes (all optional): data-target (CSS selector; default #rolesearch,
 * else an element created before the script tag), data-endpoint (default:
 * the script's own origin), data-placeholder, data-label, data-limit,
 * data-sections, data-sync-url="true" (start from ?q= / ?role= and keep them
 * updated), data-autofocus="true", data-auto="false" (do not mount; call
 * RoleSearch.mount(el, options)), nonce (for the <style> it adds). CSS
 * variables: --rolesearch-accent, --rolesearch-on-accent. The README's
 * "Dropping the search box into any site" documents all of it, the
 * keyboard, and embedding on another origin (--cors-origin, --url-pattern).
 *
 * Everything the server sends is treated as text. The one field that
 * carries markup, `snippet`, is split on <mark>/</mark> and its entities
 * decoded into text nodes; no server string ever reaches innerHTML.
 */
(function () {
  'use strict';

  var doc = document;
  var thisScript = doc.currentScript;
  var scriptOrigin = (function () {
    try {
      if (thisScript && thisScript.src) return new URL(thisScript.src, location.href).origin;
    } catch (e) { /* fall through */ }
    return location.origin;
  })();

  var STYLE_ID = 'rs-widget-styles';
  var DEBOUNCE_MS = 120;
  var MAX_QUERY_BYTES = 512;
  var instances = [];
  var instanceCount = 0;
  var rolesCache = {};

  var CSS = [
    '.rs-root{--rs-accent:var(--rolesearch-accent,#2563eb);--rs-on-accent:var(--rolesearch-on-accent,#fff);--rs-accent-soft:rgba(37,99,235,.1);--rs-line:rgba(127,127,127,.28);--rs-muted:rgba(127,127,127,.95);',
    'font-family:inherit;font-size:1rem;line-height:1.45;color:inherit;text-align:left;max-width:100%;min-width:0;position:relative}',
    '.rs-root *,.rs-root *::before,.rs-root *::after{box-sizing:border-box}',
    '.rs-sr{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}',
    '.rs-bar{position:relative;display:flex;align-items:center}',
    '.rs-icon{position:absolute;left:.8em;top:50%;width:1.25em;height:1.25em;margin-top:-.625em;color:var(--rs-muted);pointer-events:none}',
    '.rs-root .rs-input{width:100%;min-width:0;margin:0;font:inherit;font-size:1.05em;color:inherit;background:transparent;',
    'border:1px solid var(--rs-line);border-radius:.7em;padding:.75em 2.6em .75em 2.5em;outline:none;-webkit-appearance:none;appearance:none;',
    'transition:border-color .15s,box-shadow .15s}',
    '.rs-root .rs-input:focus{border-color:var(--rs-accent);box-shadow:0 0 0 3px rgba(37,99,235,.22)}',
    '.rs-root .rs-input::placeholder{color:var(--rs-muted);opacity:1}',
    '.rs-kbd{position:absolute;right:.8em;top:50%;transform:translateY(-50%);font:inherit;font-size:.75em;line-height:1;color:var(--rs-muted);',
    'border:1px solid var(--rs-line);border-radius:.35em;padding:.25em .45em;pointer-events:none}',
    '.rs-input:focus~.rs-kbd,.rs-root.rs-has-query .rs-kbd{display:none}',
    '.rs-progress{position:absolute;left:.7em;right:.7em;bottom:0;height:2px;overflow:hidden;border-radius:2px;opacity:0;transition:opacity .2s}',
    '.rs-loading .rs-progress{opacity:1;transition-delay:.25s}',
    '.rs-progress::after{content:"";position:absolute;top:0;bottom:0;width:30%;background:var(--rs-accent);animation:rs-slide 1s ease-in-out infinite}',
    '@keyframes rs-slide{0%{left:-30%}100%{left:100%}}',
    '.rs-status{font-size:.85em;color:var(--rs-muted);margin:.55em .15em 0;min-height:1.2em}',
    '.rs-status:empty{min-height:0;margin:0}',
    '.rs-panel[hidden],.rs-root [hidden]{display:none!important}',
    '.rs-notice{margin:.5em .15em 0;font-size:.92em;overflow-wrap:anywhere}',
    '.rs-notice strong{font-weight:600}',
    '.rs-root .rs-link{font:inherit;color:var(--rs-accent);background:none;border:0;padding:0;margin:0;cursor:pointer;text-decoration:underline;text-underline-offset:2px}',
    '.rs-error{margin:.6em 0 0;padding:.6em .8em;border-radius:.6em;border:1px solid rgba(220,38,38,.45);background:rgba(220,38,38,.07);font-size:.92em;overflow-wrap:anywhere}',
    '.rs-error .rs-link{margin-left:.4em}',
    '.rs-facets{display:flex;flex-wrap:wrap;gap:.4em;margin:.7em 0 0}',
    '.rs-facets:empty{display:none}',
    '.rs-root .rs-chip{font:inherit;font-size:.85em;line-height:1.2;color:inherit;background:transparent;border:1px solid var(--rs-line);',
    'border-radius:999px;padding:.35em .75em;margin:0;cursor:pointer;display:inline-flex;align-items:center;gap:.4em;max-width:100%;transition:background .15s,border-color .15s}',
    '.rs-root .rs-chip:hover{border-color:var(--rs-accent)}',
    '.rs-root .rs-chip:focus-visible{outline:2px solid var(--rs-accent);outline-offset:2px}',
    '.rs-root .rs-chip[aria-pressed="true"]{background:var(--rs-accent);border-color:var(--rs-accent);color:var(--rs-on-accent)}',
    '.rs-chip-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}',
    '.rs-count{font-size:.85em;opacity:.7;font-variant-numeric:tabular-nums}',
    '.rs-list{margin:.6em 0 0;padding:0;list-style:none}',
    '.rs-list:empty{display:none}',
    '.rs-group{padding:.55em 0;border-top:1px solid var(--rs-line)}',
    '.rs-group:first-child{border-top:0}',
    '.rs-root a.rs-opt{display:block;color:inherit;text-decoration:none;border-radius:.55em;padding:.45em .6em;overflow-wrap:anywhere;cursor:pointer;scroll-margin:.75em}',
    '.rs-root a.rs-opt:hover{background:rgba(127,127,127,.08)}',
    '.rs-root a.rs-opt.rs-active{background:var(--rs-accent-soft);box-shadow:inset 0 0 0 2px var(--rs-accent)}',
    '.rs-title{display:block;font-weight:600;font-size:1.05em;color:var(--rs-accent)}',
    '.rs-opt:hover .rs-title{text-decoration:underline;text-underline-offset:2px}',
    '.rs-meta{display:flex;flex-wrap:wrap;gap:.3em .6em;margin-top:.15em;font-size:.78em;color:var(--rs-muted)}',
    '.rs-cat{text-transform:uppercase;letter-spacing:.04em;font-weight:600}',
    '.rs-root a.rs-sec{margin-left:.9em;border-left:2px solid var(--rs-line);border-radius:0 .55em .55em 0;font-size:.92em}',
    '.rs-path{display:block;font-size:.82em;color:var(--rs-muted);font-weight:500}',
    '.rs-sep{margin:0 .3em;opacity:.7}',
    '.rs-head{font-weight:600}',
    '.rs-snip{display:block;margin-top:.1em}',
    '.rs-root mark.rs-mark{background:rgba(250,204,21,.45);color:inherit;padding:0 .08em;border-radius:.15em}',
    '.rs-rowhead{display:block;margin-top:.1em;font-weight:600}',
    '.rs-cells{margin:.25em 0 0;padding:0;display:grid;gap:.15em}',
    '.rs-cells>div{display:flex;flex-wrap:wrap;gap:0 .6em}',
    '.rs-cells dt{margin:0;flex:0 0 9.5em;max-width:100%;color:var(--rs-muted);font-weight:500}',
    '.rs-cells dd{margin:0;flex:1 1 12em;min-width:0}',
    '.rs-media{display:flex;gap:.5em;align-items:flex-start;margin-top:.15em}',
    '.rs-media svg{flex:0 0 auto;width:1.1em;height:1.1em;margin-top:.15em;color:var(--rs-muted)}',
    '.rs-media-text{min-width:0}',
    '.rs-caption{display:block;font-size:.9em;color:var(--rs-muted);font-style:italic}',
    '.rs-empty{margin:.8em .15em 0;font-size:.95em}',
    '.rs-empty p{margin:.2em 0}',
    '.rs-empty ul{margin:.3em 0 0;padding-left:1.2em;color:var(--rs-muted);font-size:.92em}',
    '.rs-root .rs-more{display:block;width:100%;margin:.6em 0 0;font:inherit;font-size:.92em;color:var(--rs-accent);background:transparent;',
    'border:1px solid var(--rs-line);border-radius:.6em;padding:.6em;cursor:pointer}',
    '.rs-root .rs-more:hover{border-color:var(--rs-accent)}',
    '.rs-root .rs-more:disabled{opacity:.6;cursor:progress}',
    '@media (hover:none){.rs-kbd{display:none}}',
    // A phone: the role chips are one row that scrolls sideways (its right
    // edge fades out), not three rows above the results.
    '@media (max-width:600px){.rs-facets{flex-wrap:nowrap;overflow-x:auto;overscroll-behavior-x:contain;scrollbar-width:none;',
    'padding:.15em 1.5em .15em 0;',
    '-webkit-mask-image:linear-gradient(to right,#000 calc(100% - 1.5em),transparent);mask-image:linear-gradient(to right,#000 calc(100% - 1.5em),transparent)}',
    '.rs-facets::-webkit-scrollbar{display:none}',
    '.rs-root .rs-chip{flex:0 0 auto;max-width:none}.rs-root .rs-chip:focus-visible{outline-offset:-3px}}',
    '@media (prefers-reduced-motion:reduce){.rs-progress::after{animation:none;width:100%}.rs-root *{transition:none!important}}'
  ].join('\n');

  // ---- small, safe DOM helpers ---------------------------------------

  function h(tag, attrs, children) {
    var el = doc.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v == null || v === false) return;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    if (children) {
      children.forEach(function (c) {
        if (c == null || c === false) return;
        el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
      });
    }
    return el;
  }

  function svgIcon(paths, cls) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = doc.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('fill', 'none');
    svg.setAttribute('stroke', 'currentColor');
    svg.setAttribute('stroke-width', '2');
    svg.setAttribute('stroke-linecap', 'round');
    svg.setAttribute('stroke-linejoin', 'round');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    if (cls) svg.setAttribute('class', cls);
    paths.forEach(function (d) {
      var p = doc.createElementNS(ns, 'path');
      p.setAttribute('d', d);
      svg.appendChild(p);
    });
    return svg;
  }
  var SEARCH_ICON = ['M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14z', 'M20 20l-4-4'];
  var IMAGE_ICON = ['M4 5h16v14H4z', 'M4 16l5-5 4 4 3-3 4 4', 'M15 9.5a1 1 0 1 0 0 .01'];

  function text(v) {
    return v == null ? '' : String(v);
  }

  var ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
  function decodeEntities(s) {
    return s.replace(/&(?:amp|lt|gt|quot|#39);/g, function (m) { return ENTITIES[m]; });
  }

  // The snippet: text with <mark>…</mark>. Anything else that looks like
  // a tag stays literal text.
  function appendSnippet(parent, snippet) {
    var inMark = false;
    text(snippet).split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === '<mark>') { inMark = true; return; }
      if (part === '</mark>') { inMark = false; return; }
      if (!part) return;
      var node = doc.createTextNode(decodeEntities(part));
      if (inMark) parent.appendChild(h('mark', { class: 'rs-mark' }, [node]));
      else parent.appendChild(node);
    });
    return parent;
  }

  function markedTerms(snippet) {
    var seen = {};
    var out = [];
    var re = /<mark>([\s\S]*?)<\/mark>/g;
    var m;
    while ((m = re.exec(text(snippet)))) {
      var t = decodeEntities(m[1]).trim();
      if (t && !seen[t.toLowerCase()]) { seen[t.toLowerCase()] = true; out.push(t); }
    }
    return out.sort(function (a, b) { return b.length - a.length; });
  }

  function termPattern(terms) {
    if (!terms.length) return null;
    var alts = terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }).join('|');
    try {
      return new RegExp('(?<![\\p{L}\\p{N}])(' + alts + ')(?![\\p{L}\\p{N}])', 'iu');
    } catch (e) {
      return new RegExp('\\b(' + alts + ')\\b', 'i');
    }
  }

  // Plain text with the snippet's highlighted words marked again.
  function appendHighlighted(parent, value, pattern) {
    var s = text(value);
    if (!pattern) { parent.appendChild(doc.createTextNode(s)); return parent; }
    s.split(pattern).forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 1) parent.appendChild(h('mark', { class: 'rs-mark' }, [part]));
      else parent.appendChild(doc.createTextNode(part));
    });
    return parent;
  }

  function safeUrl(u, base) {
    if (u == null || u === '') return null;
    try {
      var url = new URL(String(u), base);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch (e) { /* not a URL */ }
    return null;
  }

  function clampQuery(q) {
    if (q.length * 3 <= MAX_QUERY_BYTES) return q;
    var chars = Array.from(q);
    var enc = typeof TextEncoder === 'function' ? new TextEncoder() : null;
    var size = function (s) { return enc ? enc.encode(s).length : unescape(encodeURIComponent(s)).length; };
    while (chars.length && size(chars.join('')) > MAX_QUERY_BYTES) chars.pop();
    return chars.join('');
  }

  // The same words, ignoring case and spacing.
  function same(a, b) {
    var norm = function (v) { return text(v).replace(/\s+/g, ' ').trim().toLowerCase(); };
    return norm(a) === norm(b);
  }

  // A snippet's text without its <mark> tags.
  function plainSnippet(snippet) {
    return decodeEntities(text(snippet).replace(/<\/?mark>/g, ''));
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  function formatDate(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    try {
      return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  }

  function isEditable(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
  }

  function injectStyles(nonce) {
    if (doc.getElementById(STYLE_ID)) return;
    var style = h('style', { id: STYLE_ID });
    if (nonce) style.nonce = nonce;
    style.textContent = CSS;
    (doc.head || doc.documentElement).appendChild(style);
  }

  // Retry-After: seconds, or an HTTP date. Cross-origin it is only
  // readable when the server exposes it; null when absent or unreadable.
  function retryAfterSeconds(v) {
    if (v == null || v === '') return null;
    var n = /^\s*\d+\s*$/.test(v) ? parseInt(v, 10) : Math.ceil((Date.parse(v) - Date.now()) / 1000);
    return isFinite(n) && n > 0 && n <= 3600 ? n : null;
  }

  function getJSON(url, signal) {
    var init = { credentials: 'omit' };
    if (signal) init.signal = signal;
    return fetch(url, init).then(function (res) {
      return res.text().then(function (body) {
        var data = null;
        try { data = JSON.parse(body); } catch (e) { /* not JSON */ }
        if (!res.ok) {
          var err = new Error('HTTP ' + res.status);
          err.status = res.status;
          err.apiMessage = data && data.error && typeof data.error.message === 'string' ? data.error.message : '';
          err.retryAfter = retryAfterSeconds(res.headers.get('retry-after'));
          throw err;
        }
        if (!data || typeof data !== 'object') {
          var bad = new Error('The server sent an unreadable answer');
          bad.status = res.status;
          bad.unreadable = true;
          throw bad;
        }
        return data;
      });
    });
  }

  function loadRoles(endpoint) {
    if (!rolesCache[endpoint]) {
      rolesCache[endpoint] = getJSON(endpoint + '/roles').then(function (data) {
        var names = {};
        var counts = {};
        (Array.isArray(data.roles) ? data.roles : []).forEach(function (r) {
          if (!r || typeof r.id !== 'string') return;
          names[r.id] = text(r.name) || r.id;
          var n = Number(r.articles);
          if (n > 0) counts[r.id] = n;
        });
        return { names: names, counts: counts };
      }, function () {
        delete rolesCache[endpoint];
        return { names: {}, counts: {} };
      });
    }
    return rolesCache[endpoint];
  }

  // ---- one widget ------------------------------------------------------

  function mount(target, options) {
    if (typeof target === 'string') target = doc.querySelector(target);
    if (!target || target.nodeType !== 1) throw new Error('RoleSearch.mount: no element to mount in');
    for (var i = 0; i < instances.length; i++) {
      if (instances[i].element === target) return instances[i].api;
    }
    var opts = options || {};
    var endpoint = text(opts.endpoint || scriptOrigin).replace(/\/+$/, '');
    var limit = Math.min(Math.max(parseInt(opts.limit, 10) || 10, 1), 100);
    var sectionCount = Math.min(Math.max(parseInt(opts.sections, 10) || 3, 1), 10);
    var navigate = typeof opts.navigate === 'function' ? opts.navigate : function (url) { location.assign(url); };
    // The articles' language: the option, else the host page's <html lang>;
    // "*" (or no language at all) searches every locale.
    var locale = text(opts.locale === undefined || opts.locale === null ? (doc.documentElement.getAttribute('lang') || '') : opts.locale).trim();
    if (locale === '*') locale = '';
    var id = 'rs' + (++instanceCount);
    injectStyles(opts.nonce);

    var st = {
      q: '',            // the query of the results shown
      roles: [],        // selected role ids, in click order
      hits: [],
      total: 0,
      next: 0,          // offset of the next page
      understood: null,
      facets: null,     // role counts for the query without a role filter
      facetsFor: null,
      roleNames: {},
      roleCounts: null, // articles per role, from /roles (chips without a query)
      error: null,
      open: true,
      active: -1,
      options: [],
      seq: 0,
      controller: null,
      timer: 0,
      loading: false,
      searched: false
    };

    // -- the DOM --
    var input = h('input', {
      id: id + '-input',
      class: 'rs-input',
      type: 'text',
      inputmode: 'search',
      enterkeyhint: 'search',
      role: 'combobox',
      'aria-expanded': 'false',
      'aria-controls': id + '-listbox',
      'aria-autocomplete': 'list',
      'aria-describedby': id + '-status',
      autocomplete: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      placeholder: text(opts.placeholder || 'Search career articles…')
    });
    var label = h('label', { class: 'rs-sr', for: input.id, text: text(opts.label || 'Search career articles') });
    var kbd = h('kbd', { class: 'rs-kbd', 'aria-hidden': 'true', text: '/' });
    var bar = h('div', { class: 'rs-bar' }, [svgIcon(SEARCH_ICON, 'rs-icon'), label, input, kbd, h('div', { class: 'rs-progress', 'aria-hidden': 'true' })]);
    var status = h('div', { id: id + '-status', class: 'rs-status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    var errorBox = h('div', { class: 'rs-error', hidden: true });
    var notice = h('div', { class: 'rs-notice', hidden: true });
    var facets = h('div', { class: 'rs-facets', role: 'group', 'aria-label': 'Filter by role' });
    var empty = h('div', { class: 'rs-empty', hidden: true });
    var listbox = h('div', { id: id + '-listbox', class: 'rs-list', role: 'listbox', 'aria-label': 'Search results' });
    var more = h('button', { type: 'button', class: 'rs-more', hidden: true, text: 'More results' });
    var panel = h('div', { class: 'rs-panel' }, [notice, facets, empty, listbox, more]);
    var root = h('div', { class: 'rs-root' }, [bar, status, errorBox, panel]);
    target.textContent = '';
    target.appendChild(root);

    // -- rendering --
    function roleName(rid) {
      return st.roleNames[rid] || rid.replace(/-/g, ' ');
    }

    function setStatus(msg) {
      if (status.textContent !== msg) status.textContent = msg;
    }

    function updateExpanded() {
      var shown = st.open && st.options.length > 0;
      panel.hidden = !st.open;
      input.setAttribute('aria-expanded', shown ? 'true' : 'false');
      if (!shown) setActive(-1);
      renderStatus();
    }

    function setActive(i) {
      var prev = st.options[st.active];
      if (prev) {
        prev.classList.remove('rs-active');
        prev.setAttribute('aria-selected', 'false');
      }
      st.active = i;
      var el = st.options[i];
      if (el) {
        el.classList.add('rs-active');
        el.setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', el.id);
        if (el.scrollIntoView) el.scrollIntoView({ block: 'nearest' });
      } else {
        st.active = -1;
        input.removeAttribute('aria-activedescendant');
      }
    }

    function option(cls, href) {
      var a = h('a', { id: id + '-opt-' + st.options.length, class: 'rs-opt ' + cls, role: 'option', 'aria-selected': 'false', tabindex: '-1' });
      var url = safeUrl(href, endpoint + '/');
      if (url) a.setAttribute('href', url);
      st.options.push(a);
      return a;
    }

    // The cell of a table row that labels it: a first column without a
    // header. The server keys it "" or "Column 1"; a real "Column 1"
    // header shows in the row's text ("Column 1: …"), an unlabelled one
    // does not.
    function rowLabelKey(sec, keys) {
      var k = keys[0];
      if (keys.length < 2 || k == null) return null;
      if (!k.trim()) return k;
      if (k === 'Column 1' && !/^\s*Column 1\s*:/.test(text(sec.text))) return k;
      return null;
    }

    // A section's heading path as shown: without the heading itself for a
    // heading hit (it is shown once, as itself, whether or not the server
    // ends the path with it), and without a first heading that is the
    // article's title (the article's own link says it).
    function sectionPath(sec, title) {
      var path = Array.isArray(sec.headingPath) ? sec.headingPath.map(text) : [];
      var head = sec.kind === 'heading' ? headingText(sec, path) : '';
      var crumbs = head && path.length && same(path[path.length - 1], head) ? path.slice(0, -1) : path;
      if (crumbs.length && same(crumbs[0], title)) crumbs = crumbs.slice(1);
      return { head: head, crumbs: crumbs, under: head ? crumbs.concat(head) : crumbs };
    }

    // One section sub-result. `prevPath`: the heading path of the section
    // just above, in the same article; a repeated path is kept for screen
    // readers but not shown again. Returns the option and the heading path
    // it stands under (for the next one).
    function renderSection(sec, prevPath, title) {
      var a = option('rs-sec', sec.url);
      var sp = sectionPath(sec, title);
      var headText = sp.head;
      var crumbs = sp.crumbs;
      var shownPath = sp.under;
      if (crumbs.length) {
        var repeated = prevPath === crumbs.join('\u0000');
        var pathEl = h('span', { class: repeated ? 'rs-sr' : 'rs-path' });
        crumbs.forEach(function (c, i) {
          if (i) pathEl.appendChild(h('span', { class: 'rs-sep', 'aria-hidden': 'true', text: '›' }));
          pathEl.appendChild(h('span', { class: 'rs-crumb', text: c }));
        });
        a.appendChild(pathEl);
      }
      if (headText) {
        // The snippet when it is the heading (with its words marked), else
        // the heading with the snippet's marked words marked again.
        var head = h('span', { class: 'rs-snip rs-head' });
        if (sec.snippet != null && same(plainSnippet(sec.snippet), headText)) appendSnippet(head, sec.snippet);
        else appendHighlighted(head, headText, termPattern(markedTerms(sec.snippet)));
        a.appendChild(head);
        return { el: a, path: shownPath };
      }

      var terms = termPattern(markedTerms(sec.snippet));
      var cells = sec.cells && typeof sec.cells === 'object' && !Array.isArray(sec.cells) ? Object.keys(sec.cells) : [];
      if (cells.length) {
        var labelKey = rowLabelKey(sec, cells);
        if (labelKey != null) {
          a.appendChild(appendHighlighted(h('span', { class: 'rs-rowhead' }), sec.cells[labelKey], terms));
          cells = cells.slice(1);
        }
        var dl = h('dl', { class: 'rs-cells' });
        cells.forEach(function (k) {
          dl.appendChild(h('div', null, [
            appendHighlighted(h('dt'), k, terms),
            appendHighlighted(h('dd'), sec.cells[k], terms)
          ]));
        });
        a.appendChild(dl);
      } else if (sec.media && typeof sec.media === 'object') {
        var alt = text(sec.media.alt) || text(sec.media.name) || 'Image';
        var body = h('span', { class: 'rs-media-text' }, [appendHighlighted(h('span', { class: 'rs-alt' }), alt, terms)]);
        if (sec.media.caption) body.appendChild(appendHighlighted(h('span', { class: 'rs-caption' }), sec.media.caption, terms));
        a.appendChild(h('span', { class: 'rs-media' }, [svgIcon(IMAGE_ICON), h('span', { class: 'rs-sr', text: 'Image: ' }), body]));
      } else {
        a.appendChild(appendSnippet(h('span', { class: 'rs-snip' }), sec.snippet != null ? sec.snippet : sec.text));
      }
      return { el: a, path: shownPath };
    }

    function headingText(sec, path) {
      return text(sec.heading).trim() || text(sec.text).trim() || (path.length ? path[path.length - 1] : '');
    }

    // A section that only repeats the article's title: the `title` piece,
    // or a top-level heading with the title's words (an article whose body
    // opens with its title). It is not listed again; its highlighted words
    // mark the title instead.
    function repeatsTitle(sec, title) {
      if (sec.kind === 'title') return true;
      if (sec.kind !== 'heading') return false;
      var path = Array.isArray(sec.headingPath) ? sec.headingPath.map(text) : [];
      var head = headingText(sec, path);
      var parents = path.length && same(path[path.length - 1], head) ? path.length - 1 : path.length;
      return parents === 0 && same(head, title);
    }

    function renderHit(hit) {
      var group = h('div', { class: 'rs-group', role: 'group' });
      var a = option('rs-article', hit.url);
      var title = text(hit.title) || text(hit.slug);
      var sections = (Array.isArray(hit.sections) ? hit.sections : []).filter(function (sec) {
        return sec && typeof sec === 'object';
      });
      var titleMarks = [];
      sections = sections.filter(function (sec) {
        if (!repeatsTitle(sec, title)) return true;
        titleMarks = titleMarks.concat(markedTerms(sec.snippet));
        return false;
      });
      a.appendChild(appendHighlighted(h('span', { class: 'rs-title' }), title, termPattern(titleMarks)));
      var meta = h('span', { class: 'rs-meta' });
      if (hit.category) meta.appendChild(h('span', { class: 'rs-cat', text: text(hit.category) }));
      var date = formatDate(hit.publishedAt);
      if (date) meta.appendChild(h('span', { class: 'rs-date', text: date }));
      if (meta.childNodes.length) a.appendChild(meta);
      group.appendChild(a);
      var prevPath = null;
      sections.forEach(function (sec) {
        var r = renderSection(sec, prevPath, title);
        group.appendChild(r.el);
        prevPath = r.path.join('\u0000');
      });
      return group;
    }

    function renderHits(fresh, append) {
      if (!append) {
        listbox.textContent = '';
        st.options = [];
        st.active = -1;
        input.removeAttribute('aria-activedescendant');
      }
      var frag = doc.createDocumentFragment();
      fresh.forEach(function (hit) {
        if (hit && typeof hit === 'object') frag.appendChild(renderHit(hit));
      });
      listbox.appendChild(frag);
    }

    function renderFacets() {
      // The chips are rebuilt: keep the row's sideways scroll and the focus.
      var scroll = facets.scrollLeft;
      var focused = doc.activeElement && facets.contains(doc.activeElement) ? doc.activeElement.getAttribute('data-role') : null;
      facets.textContent = '';
      facetChips().forEach(function (c) { facets.appendChild(chip(c[0], c[1])); });
      if (scroll) facets.scrollLeft = scroll;
      var chips = Array.prototype.slice.call(facets.children);
      chips.forEach(function (b) { if (focused !== null && b.getAttribute('data-role') === focused) b.focus(); });
      // A row that scrolls (a phone): a selected role is in sight.
      if (facets.scrollWidth > facets.clientWidth) {
        var pressed = chips.filter(function (b) { return b.getAttribute('aria-pressed') === 'true'; });
        var inSight = function (b) {
          var x = b.offsetLeft - facets.offsetLeft - facets.scrollLeft;
          return x >= 0 && x + b.offsetWidth <= facets.clientWidth;
        };
        if (pressed.length && !pressed.some(inSight)) facets.scrollLeft = pressed[0].offsetLeft - facets.offsetLeft;
      }
    }

    // [role id, count or null] for each chip.
    function facetChips() {
      if (!st.q && (!st.roles.length || !st.roleCounts)) {
        // No query: only the selected roles (so they can be removed), until
        // /roles has said how many articles each role has.
        return st.roles.map(function (r) { return [r, null]; });
      }
      // With a query, counts of matching articles; without one (a role's
      // articles listed), every role with articles, to add or switch to.
      var counts = (st.q ? st.facets : st.roleCounts) || {};
      var ids = Object.keys(counts).filter(function (r) { return counts[r] > 0; });
      st.roles.forEach(function (r) { if (ids.indexOf(r) < 0) ids.push(r); });
      ids.sort(function (a, b) { return (counts[b] || 0) - (counts[a] || 0) || roleName(a).localeCompare(roleName(b)); });
      return ids.map(function (r) { return [r, counts[r] || 0]; });
    }

    function chip(rid, count) {
      var pressed = st.roles.indexOf(rid) >= 0;
      var b = h('button', { type: 'button', class: 'rs-chip', 'aria-pressed': pressed ? 'true' : 'false', 'data-role': rid }, [
        h('span', { class: 'rs-chip-name', text: roleName(rid) })
      ]);
      if (count != null) b.appendChild(h('span', { class: 'rs-count', 'aria-label': plural(count, 'article', 'articles'), text: String(count) }));
      b.addEventListener('click', function () { toggleRole(rid); });
      return b;
    }

    function renderNotice() {
      notice.textContent = '';
      var u = st.understood || {};
      var showing = typeof u.showingResultsFor === 'string' && u.showingResultsFor &&
        u.showingResultsFor.toLowerCase() !== st.q.toLowerCase() ? u.showingResultsFor : '';
      var dym = typeof u.didYouMean === 'string' && u.didYouMean && u.didYouMean.toLowerCase() !== st.q.toLowerCase() ? u.didYouMean : '';
      if (st.hits.length && showing) {
        notice.appendChild(h('span', { class: 'rs-showing' }, ['Showing results for ', h('strong', { text: showing }), '.']));
      }
      if (st.hits.length && dym) {
        if (notice.childNodes.length) notice.appendChild(doc.createTextNode(' '));
        notice.appendChild(h('span', { class: 'rs-dym' }, ['Did you mean ', suggestion(dym), '?']));
      }
      notice.hidden = !notice.childNodes.length;
    }

    function suggestion(q) {
      var b = h('button', { type: 'button', class: 'rs-link rs-suggestion', text: q });
      b.addEventListener('click', function () {
        input.value = q;
        root.classList.add('rs-has-query');
        input.focus();
        search(false);
      });
      return b;
    }

    function renderEmpty() {
      empty.textContent = '';
      var show = st.searched && !st.hits.length && !st.error;
      if (show && !st.q && st.roles.length) {
        empty.appendChild(h('p', { text: 'No ' + st.roles.map(roleName).join(' or ') + ' articles yet.' }));
        empty.appendChild(h('ul', null, [h('li', { text: 'Type a question or a few words to search every article.' })]));
      } else if (show && st.q) {
        empty.appendChild(h('p', null, ['No results for ', h('strong', { text: '“' + st.q + '”' }), st.roles.length ? ' in the selected roles.' : '.']));
        var u = st.understood || {};
        if (typeof u.didYouMean === 'string' && u.didYouMean) {
          empty.appendChild(h('p', { class: 'rs-dym' }, ['Did you mean ', suggestion(u.didYouMean), '?']));
        }
        var tips = ['Check the spelling, or try fewer or more general words.', 'Search for a role, like “product owner” or “BA”.'];
        if (st.roles.length) tips.unshift('Remove a role filter above.');
        empty.appendChild(h('ul', null, tips.map(function (t) { return h('li', { text: t }); })));
      } else {
        show = false;
      }
      empty.hidden = !show;
    }

    function renderMore() {
      more.hidden = !(st.hits.length && st.next < st.total);
      more.disabled = st.loading;
      more.textContent = st.loading && st.loadingMore ? 'Loading…' : 'More results';
    }

    function renderError() {
      errorBox.textContent = '';
      if (!st.error) { errorBox.hidden = true; return; }
      var e = st.error;
      var said = e.apiMessage ? ': ' + e.apiMessage.replace(/[\s.]+$/, '') : '';
      var msg;
      if (e.status === 503) {
        msg = 'Search is unavailable right now (error 503' + said + '): the search service is busy. ' +
          (e.retryAfter ? 'Try again in ' + plural(e.retryAfter, 'second', 'seconds') + '.' : 'Try again in a moment.');
      } else if (e.status && e.status >= 500) {
        msg = 'Search is unavailable right now (error ' + e.status + said + ').';
      } else if (e.unreadable) {
        msg = 'The search service at ' + endpoint + ' sent an answer that is not search results (error ' + e.status + ').';
      } else if (e.status) {
        msg = 'The search could not be run' + (said || ' (error ' + e.status + ')') + '.';
      } else {
        msg = unreachable();
      }
      if (st.hits.length) msg += ' Showing the last results.';
      errorBox.appendChild(doc.createTextNode(msg));
      var retry = h('button', { type: 'button', class: 'rs-link rs-retry', text: 'Try again' });
      retry.addEventListener('click', function () { search(false); });
      errorBox.appendChild(retry);
      errorBox.hidden = false;
    }

    // A failed fetch (a TypeError) looks the same to a page whether the
    // server is down, the network is, or the browser refused to hand over
    // a cross-origin answer (CORS): the message names every possibility.
    function unreachable() {
      var here = location.origin;
      var there = endpoint;
      try { there = new URL(endpoint, location.href).origin; } catch (e) { /* keep it */ }
      var msg = 'Cannot reach the search service at ' + endpoint + '. ';
      if (there !== here) {
        msg += 'It may be down, or it may not allow requests from this site (' +
          (here && here !== 'null' ? here : 'a page opened from a file') + ').';
      } else {
        msg += 'It may be down, or this device may be offline.';
      }
      return msg;
    }

    function renderStatus() {
      var msg;
      if (st.error) msg = 'Search failed';
      else if (!st.open || !st.searched || (!st.q && !st.roles.length)) msg = ''; // cleared with the results
      else if (!st.hits.length) msg = 'No results';
      else msg = st.q ? plural(st.total, 'result', 'results') : plural(st.total, 'article', 'articles');
      setStatus(msg);
      // The empty state says it in full: the status is then for screen
      // readers only, so "No results" is not shown twice.
      status.classList.toggle('rs-sr', !!msg && !empty.hidden);
    }

    function renderAll() {
      root.classList.toggle('rs-loading', st.loading);
      root.classList.toggle('rs-has-query', !!input.value);
      renderError();
      renderNotice();
      renderFacets();
      renderEmpty();
      renderMore();
      updateExpanded(); // and the status
    }

    // -- searching --
    function abortInFlight() {
      if (st.controller) st.controller.abort();
      st.controller = null;
    }

    function schedule() {
      clearTimeout(st.timer);
      st.timer = setTimeout(function () { search(false); }, DEBOUNCE_MS);
    }

    function params(q, roles, lim, offset, sections) {
      var p = new URLSearchParams();
      p.set('q', q);
      roles.forEach(function (r) { p.append('role', r); });
      if (locale) p.set('locale', locale);
      p.set('limit', String(lim));
      if (offset) p.set('offset', String(offset));
      p.set('sections', String(sections));
      return p.toString();
    }

    function syncUrl() {
      if (!opts.syncUrl || !window.history || !history.replaceState) return;
      try {
        var url = new URL(location.href);
        url.searchParams.delete('q');
        url.searchParams.delete('role');
        if (st.q) url.searchParams.set('q', st.q);
        st.roles.forEach(function (r) { url.searchParams.append('role', r); });
        if (url.href !== location.href) history.replaceState(history.state, '', url.href);
      } catch (e) { /* ignore */ }
    }

    function search(append) {
      clearTimeout(st.timer);
      var q = clampQuery(input.value.trim());
      var seq = ++st.seq;
      abortInFlight();
      if (!q && !st.roles.length) {
        st.q = '';
        st.hits = [];
        st.total = 0;
        st.next = 0;
        st.understood = null;
        st.error = null;
        st.loading = false;
        st.searched = false;
        renderHits([], false);
        renderAll();
        syncUrl();
        return;
      }
      var offset = append ? st.next : 0;
      var controller = typeof AbortController === 'function' ? new AbortController() : null;
      st.controller = controller;
      var signal = controller ? controller.signal : undefined;
      var roles = st.roles.slice();
      var main = getJSON(endpoint + '/search?' + params(q, roles, limit, offset, sectionCount), signal);
      // Role counts come from the query without a role filter, so every
      // role stays offered while some are selected (any-of filter). An
      // empty query (a role's articles, newest first) takes /roles' counts.
      var needFacets = q && roles.length && !append && st.facetsFor !== q;
      var facetReq = needFacets
        ? getJSON(endpoint + '/search?' + params(q, [], 1, 0, 1), signal).catch(function () { return null; })
        : Promise.resolve(null);
      st.loading = true;
      st.loadingMore = !!append;
      renderMore();
      root.classList.add('rs-loading');
      listbox.setAttribute('aria-busy', 'true');

      Promise.all([main, facetReq]).then(function (res) {
        if (seq !== st.seq) return; // a newer search owns the widget
        var data = res[0];
        var hits = Array.isArray(data.hits) ? data.hits : [];
        st.next = offset + hits.length;
        if (append) {
          var seen = {};
          st.hits.forEach(function (h0) { seen[h0.slug] = true; });
          hits = hits.filter(function (h1) { return !seen[h1.slug]; });
          st.hits = st.hits.concat(hits);
        } else {
          st.hits = hits;
        }
        st.total = Math.max(Number(data.estimatedTotalHits) || 0, st.next);
        st.q = q;
        st.understood = data.understood && typeof data.understood === 'object' ? data.understood : null;
        var fd = data.facetDistribution && data.facetDistribution.role;
        if (!roles.length && fd && typeof fd === 'object') { st.facets = fd; st.facetsFor = q; }
        var fres = res[1];
        if (fres && fres.facetDistribution && fres.facetDistribution.role) {
          st.facets = fres.facetDistribution.role;
          st.facetsFor = q;
        }
        if (st.facetsFor !== q) { st.facets = fd || {}; st.facetsFor = null; }
        st.error = null;
        st.loading = false;
        st.searched = true;
        if (!append) st.open = true;
        if (append && !hits.length) st.total = st.next; // nothing more to load
        renderHits(hits, append);
        listbox.removeAttribute('aria-busy');
        renderAll();
        syncUrl();
      }, function (err) {
        if (seq !== st.seq || (err && err.name === 'AbortError')) return;
        st.error = err || new Error('failed');
        st.loading = false;
        listbox.removeAttribute('aria-busy');
        renderAll();
      });
    }

    function toggleRole(rid) {
      var i = st.roles.indexOf(rid);
      if (i >= 0) st.roles.splice(i, 1);
      else st.roles.push(rid);
      st.open = true;
      search(false);
    }

    function close() {
      st.open = false;
      updateExpanded();
    }

    function clear() {
      input.value = '';
      search(false);
      st.open = true;
      updateExpanded();
    }

    // -- events --
    input.addEventListener('input', function () {
      st.open = true;
      root.classList.toggle('rs-has-query', !!input.value);
      if (st.active >= 0) setActive(-1);
      if (!input.value.trim()) { search(false); return; }
      schedule();
    });

    input.addEventListener('click', function () {
      if (!st.open) { st.open = true; updateExpanded(); }
    });

    input.addEventListener('keydown', function (e) {
      if (e.isComposing) return;
      var n = st.options.length;
      switch (e.key) {
        case 'ArrowDown':
          e.preventDefault();
          if (!st.open) { st.open = true; updateExpanded(); }
          if (!n) return;
          setActive(st.active + 1 >= n ? 0 : st.active + 1);
          break;
        case 'ArrowUp':
          e.preventDefault();
          if (!st.open) { st.open = true; updateExpanded(); }
          if (!n) return;
          setActive(st.active <= -1 ? n - 1 : st.active - 1);
          break;
        case 'Enter': {
          e.preventDefault();
          var el = st.open ? st.options[st.active] : null;
          var href = el && el.getAttribute('href');
          if (href) {
            if (e.ctrlKey || e.metaKey) window.open(href, '_blank', 'noopener');
            else navigate(href);
          } else {
            search(false);
          }
          break;
        }
        case 'Escape':
          e.preventDefault();
          if (st.open && (st.options.length || !empty.hidden || !notice.hidden)) close();
          else if (input.value) clear();
          else close();
          break;
        default:
      }
    });

    more.addEventListener('click', function () { search(true); });

    // Mouse users: hovering does not move the active option, but a click
    // on an option makes it the active one for a following key press.
    listbox.addEventListener('mousedown', function (e) {
      var el = e.target && e.target.closest ? e.target.closest('[role="option"]') : null;
      var i = el ? st.options.indexOf(el) : -1;
      if (i >= 0) setActive(i);
    });

    var api = {
      element: target,
      input: input,
      search: function (q) { input.value = text(q); search(false); },
      setRoles: function (roles) { st.roles = (roles || []).map(text).filter(Boolean); search(false); },
      destroy: function () {
        abortInFlight();
        clearTimeout(st.timer);
        st.seq++;
        target.removeChild(root);
        instances = instances.filter(function (x) { return x.api !== api; });
      }
    };
    instances.push({ element: target, input: input, api: api });

    loadRoles(endpoint).then(function (roles) {
      st.roleNames = roles.names;
      st.roleCounts = roles.counts;
      renderFacets();
      renderEmpty();
      renderStatus();
    });

    // Initial state: options, then the page URL when asked to follow it.
    var startQ = text(opts.query);
    var startRoles = Array.isArray(opts.roles) ? opts.roles.map(text) : [];
    if (opts.syncUrl) {
      try {
        var sp = new URLSearchParams(location.search);
        if (sp.has('q')) startQ = sp.get('q');
        var fromUrl = [];
        sp.getAll('role').forEach(function (v) { v.split(',').forEach(function (r) { r = r.trim(); if (r) fromUrl.push(r); }); });
        if (fromUrl.length) startRoles = fromUrl;
      } catch (e) { /* ignore */ }
    }
    st.roles = startRoles.filter(function (r, i, all) { return r && all.indexOf(r) === i; });
    input.value = startQ;
    root.classList.toggle('rs-has-query', !!startQ);
    if (startQ.trim() || st.roles.length) search(false);
    else renderAll();
    if (opts.autofocus) input.focus();
    return api;
  }

  // `/` focuses the first search box when focus is not in a form field.
  function focusShortcut(e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (isEditable(doc.activeElement) || isEditable(e.target)) return;
    var first = instances[0];
    if (!first || !first.input.isConnected) return;
    e.preventDefault();
    first.input.focus();
    first.input.select();
  }

  // ---- auto-mount from the script tag ----------------------------------

  function autoMount() {
    var s = thisScript;
    if (!s || s.getAttribute('data-auto') === 'false') return;
    var ds = s.dataset || {};
    var options = {
      endpoint: ds.endpoint,
      placeholder: ds.placeholder,
      label: ds.label,
      limit: ds.limit,
      sections: ds.sections,
      locale: ds.locale,
      syncUrl: ds.syncUrl === 'true',
      autofocus: ds.autofocus === 'true',
      nonce: s.nonce || s.getAttribute('nonce') || undefined
    };
    var run = function () {
      var el = null;
      if (ds.target) {
        try { el = doc.querySelector(ds.target); } catch (e) { el = null; }
      } else {
        el = doc.getElementById('rolesearch');
      }
      if (!el) {
        el = h('div', { id: ds.target ? null : 'rolesearch' });
        if (s.parentNode && s.parentNode !== doc.head && s.isConnected) s.parentNode.insertBefore(el, s);
        else (doc.body || doc.documentElement).appendChild(el);
      }
      if (!options.endpoint) options.endpoint = scriptOrigin;
      mount(el, options);
    };
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', run, { once: true });
    else run();
  }

  if (window.RoleSearch && typeof window.RoleSearch.mount === 'function') {
    // Loaded twice: the first copy owns the page; mount through it.
    mount = window.RoleSearch.mount;
  } else {
    window.RoleSearch = { mount: mount, version: '1' };
    doc.addEventListener('keydown', focusShortcut);
  }
  autoMount();
})();
