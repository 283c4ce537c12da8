// The reprint page. Every piece of text from a document or the service is inserted as a
// text node (el() below); nothing is parsed as markup.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const MAX_FILE = 8 << 20;

  // An element with attributes and children; strings become text nodes.
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    setAttrs(e, attrs);
    append(e, kids);
    return e;
  }
  function svg(tag, attrs, ...kids) {
    const e = document.createElementNS(SVG_NS, tag);
    setAttrs(e, attrs);
    append(e, kids);
    return e;
  }
  function setAttrs(e, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.setAttribute('class', v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  function append(e, kids) {
    for (const k of kids.flat()) {
      if (k === null || k === undefined || k === false) continue;
      e.appendChild(typeof k === 'string' || typeof k === 'number'
        ? document.createTextNode(String(k)) : k);
    }
  }
  function clear(e) {
    while (e.firstChild) e.removeChild(e.firstChild);
  }
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  // A new result's heading goes to the top of the window and takes the focus, so a screen
  // reader starts reading there.
  function focusHeading(h) {
    h.scrollIntoView({ block: 'start' });
    h.focus({ preventScroll: true });
  }
  const hidden = (text) => el('span', { class: 'visually-hidden' }, text);

  async function call(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    let data = null;
    try { data = await r.json(); } catch (_) { data = null; }
    if (!r.ok) throw new Error((data && data.error) || `the service answered ${r.status}`);
    return data;
  }

  // Byte offsets (UTF-8, as the service gives them) into a JavaScript string.
  class Text {
    constructor(s) {
      this.bytes = new TextEncoder().encode(s);
      this.decoder = new TextDecoder();
    }
    get length() { return this.bytes.length; }
    slice(s, e) { return this.decoder.decode(this.bytes.subarray(s, e)); }
  }

  const KIND_NAMES = { verbatim: 'verbatim', near_verbatim: 'near verbatim', paraphrase: 'paraphrase' };
  const fmt = (x) => (typeof x === 'number' ? x.toFixed(2) : '–');
  const humanKind = (k) => k.replace(/_/g, ' ');
  const badge = (label) => el('span', { class: `badge l-${label}` }, label);
  const shortId = (id) => (id.length > 22 ? `${id.slice(0, 20)}…` : id);

  // ---- tabs -------------------------------------------------------------------------
  const tabs = [$('tab-query'), $('tab-compare')];
  function select(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
  }
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => select(t, false));
    t.addEventListener('keydown', (ev) => {
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % tabs.length;
      else if (ev.key === 'ArrowLeft') j = (i + tabs.length - 1) % tabs.length;
      else if (ev.key === 'Home') j = 0;
      else if (ev.key === 'End') j = tabs.length - 1;
      if (j !== null) { ev.preventDefault(); select(tabs[j], true); }
    });
  });

  // ---- service status ---------------------------------------------------------------
  async function health() {
    const status = $('service-status');
    try {
      const h = await call('GET', '/health');
      if (h.documents === null) {
        status.textContent = 'This service has no index: only “Compare two texts” works.';
        $('q-submit').disabled = true;
        select($('tab-compare'), false);
      } else {
        status.textContent = `Index: ${h.documents.toLocaleString()} documents.`;
      }
    } catch (e) {
      status.textContent = `The service cannot be reached: ${e.message}`;
    }
  }

  // ---- side by side -------------------------------------------------------------------
  // One text with its aligned groups linked to the other side, edits and unmatched
  // sentences marked. `side` is 'a' or 'b'.
  function renderSide(text, cmp, side, title, prefix) {
    const other = side === 'a' ? 'b' : 'a';
    const t = new Text(text);
    const ranges = [];
    cmp.alignments.forEach((al, i) => {
      ranges.push({ s: al[side][0], e: al[side][1], al: i });
      for (const ed of al.edits || []) {
        const span = ed[side];
        if (!span) continue;
        if (side === 'a' && ed.op === 'insert') continue;
        if (side === 'b' && ed.op === 'delete') continue;
        ranges.push({ s: span[0], e: span[1], mark: side === 'a' ? 'del' : 'ins' });
      }
    });
    for (const u of (cmp.unmatched && cmp.unmatched[side]) || []) {
      ranges.push({ s: u[0], e: u[1], un: true });
    }
    const cuts = new Set([0, t.length]);
    for (const r of ranges) {
      cuts.add(Math.max(0, Math.min(r.s, t.length)));
      cuts.add(Math.max(0, Math.min(r.e, t.length)));
    }
    const points = [...cuts].sort((x, y) => x - y);
    const body = el('div', { class: 'doc-text' });
    let group = null;
    let groupAl = -1;
    let unmatchedOpen = false;
    for (let k = 0; k + 1 < points.length; k++) {
      const p = points[k];
      const q = points[k + 1];
      const piece = t.slice(p, q);
      const covers = (r) => r.s <= p && q <= r.e;
      const al = ranges.find((r) => r.al !== undefined && covers(r));
      const mark = ranges.find((r) => r.mark && covers(r));
      const un = ranges.some((r) => r.un && covers(r));
      const alIndex = al ? al.al : -1;
      if (alIndex !== groupAl || !group) {
        groupAl = alIndex;
        if (alIndex >= 0) {
          const a = cmp.alignments[alIndex];
          group = el('a', {
            class: `al k-${a.kind}`,
            id: `${prefix}${side}-al-${alIndex}`,
            href: `#${prefix}${other}-al-${alIndex}`,
            'data-al': alIndex,
          }, hidden(`[passage ${alIndex + 1}, ${KIND_NAMES[a.kind] || a.kind}] `));
          group.appendChild(el('sup', { class: 'al-n', 'aria-hidden': 'true' }, String(alIndex + 1)));
        } else {
          group = el('span', { class: 'plain' });
        }
        body.appendChild(group);
        unmatchedOpen = false;
      }
      let node = document.createTextNode(piece);
      if (mark) {
        node = el(mark.mark, {}, piece);
      } else if (un) {
        const prefix = unmatchedOpen ? null : hidden(`[only in ${side.toUpperCase()}] `);
        node = el('span', { class: 'unmatched' }, prefix, piece);
      }
      unmatchedOpen = un && !mark;
      group.appendChild(node);
    }
    return el('div', { class: 'doc', 'data-side': side },
      el('h3', {}, title), body);
  }

  // Hovering or focusing an aligned group lights its counterpart; following the link
  // moves the focus to it.
  function linkSides(root) {
    const pair = (a) => {
      const i = a.getAttribute('data-al');
      return root.querySelectorAll(`a.al[data-al="${i}"]`);
    };
    const light = (a, on) => pair(a).forEach((x) => x.classList.toggle('hl', on));
    root.querySelectorAll('a.al').forEach((a) => {
      a.addEventListener('mouseenter', () => light(a, true));
      a.addEventListener('mouseleave', () => light(a, false));
      a.addEventListener('focus', () => light(a, true));
      a.addEventListener('blur', () => light(a, false));
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        const target = root.querySelector(a.getAttribute('href'));
        if (target) {
          target.scrollIntoView({ block: 'center' });
          target.focus({ preventScroll: true });
        }
      });
    });
  }

  function directionText(cmp, names) {
    const d = cmp.direction;
    if (d.source === 'a') return `${names.a} is the source (${d.basis}, confidence ${fmt(d.confidence)})`;
    if (d.source === 'b') return `${names.b} is the source (${d.basis}, confidence ${fmt(d.confidence)})`;
    return 'Which text is the source is not known';
  }

  function changesTable(cmp, names, prefix) {
    const facts = cmp.changes.filter((c) => c.kind !== 'omitted' && c.kind !== 'added');
    const omitted = cmp.changes.filter((c) => c.kind === 'omitted').length;
    const added = cmp.changes.filter((c) => c.kind === 'added').length;
    const wrap = el('section', { class: 'changes', 'aria-label': 'Changed facts' },
      el('h3', {}, 'Changed facts'),
      el('p', { class: 'help' },
        `${plural(facts.length, 'fact', 'facts')}; ${plural(omitted, 'sentence', 'sentences')} only in ${names.a}, ${added} only in ${names.b}.`));
    if (facts.length === 0) return wrap;
    const rows = facts.map((c) => el('tr', {},
      el('th', { scope: 'row' }, humanKind(c.kind)),
      el('td', {}, c.a_text || '—'),
      el('td', {}, c.b_text || '—'),
      el('td', {}, c.alignment === null || c.alignment === undefined ? ''
        : el('a', { href: `#${prefix}a-al-${c.alignment}`, class: 'to-al', 'data-target': `${prefix}a-al-${c.alignment}` },
          `passage ${c.alignment + 1}`))));
    wrap.appendChild(el('div', { class: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'change'),
        el('th', { scope: 'col' }, names.a),
        el('th', { scope: 'col' }, names.b),
        el('th', { scope: 'col' }, 'where'))),
      el('tbody', {}, rows))));
    return wrap;
  }

  // The verdict, its reasons, the changed facts and both texts side by side.
  function renderComparison(target, cmp, textA, textB, names) {
    clear(target);
    const v = cmp.verdict;
    target.appendChild(el('div', { class: 'verdict' },
      el('p', { class: 'verdict-line' }, badge(v.label),
        ` score ${fmt(v.score)}${v.probability == null ? '' : ` · probability of reuse ${fmt(v.probability)}`} · coverage ${names.a} ${fmt(v.coverage_a)}, ${names.b} ${fmt(v.coverage_b)}`),
      el('p', { class: 'direction' }, directionText(cmp, names)),
      el('details', { open: true }, el('summary', {}, 'Why'),
        el('ul', {}, v.reasons.map((r) => el('li', {}, r)),
          cmp.direction.reasons.map((r) => el('li', {}, r))))));
    // Ids are unique on the page: each rendering has its own prefix.
    const prefix = `${target.id}-`;
    const table = changesTable(cmp, names, prefix);
    target.appendChild(table);
    const sides = el('div', { class: 'side-by-side' },
      renderSide(textA, cmp, 'a', names.a === 'A' ? 'Text A' : `A: ${names.a}`, prefix),
      renderSide(textB, cmp, 'b', names.b === 'B' ? 'Text B' : `B: ${names.b}`, prefix));
    target.appendChild(el('p', { class: 'help' },
      'Aligned passages are numbered and tinted by kind (verbatim, near verbatim, paraphrase); ',
      'follow one to jump to its counterpart. Struck through: words of A that B does not have; ',
      'underlined: words of B that A does not have; greyed: sentences with no counterpart.'));
    target.appendChild(sides);
    linkSides(sides);
    table.querySelectorAll('a.to-al').forEach((a) => a.addEventListener('click', (ev) => {
      ev.preventDefault();
      const t = $(a.getAttribute('data-target'));
      if (t) { t.scrollIntoView({ block: 'center' }); t.focus({ preventScroll: true }); }
    }));
  }

  // ---- query ---------------------------------------------------------------------------
  let last = null; // the text and date of the last query, as sent

  function describeMatch(m) {
    const d = m.direction;
    if (d.source === 'match') return 'this document is the source';
    if (d.source === 'query') return 'your text is the source';
    return 'direction unknown';
  }

  function renderSources(res) {
    const list = $('sources');
    clear(list);
    res.matches.forEach((m, i) => {
      const meta = [m.series, m.date].filter(Boolean).join(', ');
      const button = el('button', {
        type: 'button', class: 'source-btn', 'data-id': m.id, 'data-rank': i + 1,
      },
      el('span', { class: 'rank' }, `${i + 1}.`), ' ',
      badge(m.label), ' ',
      el('span', { class: 'score' }, `score ${fmt(m.score)}`), ' ',
      el('span', { class: 'doc-id' }, m.id),
      meta ? el('span', { class: 'meta' }, ` (${meta})`) : null,
      el('span', { class: 'dir' }, ` · ${describeMatch(m)}`),
      el('span', { class: 'meta' }, ` · ${m.passages.length} shared passage${m.passages.length === 1 ? '' : 's'}`));
      button.addEventListener('click', () => showDetail(m));
      const li = el('li', { class: 'source' }, button);
      if (m.copies && m.copies.length) {
        li.appendChild(el('p', { class: 'copies' }, `Byte-identical copies: ${m.copies.join(', ')}`));
      }
      if (m.reasons) {
        li.appendChild(el('details', {}, el('summary', {}, 'Why'),
          el('ul', {}, m.reasons.verdict.map((r) => el('li', {}, r)),
            m.reasons.direction.map((r) => el('li', {}, r)))));
      }
      list.appendChild(li);
    });
    renderTimeline(res);
    renderCascade(res);
  }

  const dayOf = (s) => {
    if (!s) return null;
    const t = Date.parse(String(s).slice(0, 10));
    return Number.isNaN(t) ? null : t;
  };

  function renderTimeline(res) {
    const box = $('timeline');
    clear(box);
    const points = res.matches.map((m, i) => ({ id: m.id, label: m.label, t: dayOf(m.date), date: m.date, rank: i + 1 }))
      .filter((p) => p.t !== null);
    if (last && last.date) points.push({ id: 'your text', label: 'query', t: dayOf(last.date), date: last.date, rank: 0 });
    const undated = res.matches.length - points.filter((p) => p.rank > 0).length;
    if (points.length === 0) {
      box.appendChild(el('p', { class: 'help' }, 'No matched document is dated.'));
      return;
    }
    points.sort((x, y) => x.t - y.t);
    const W = 600; const H = 40 + 22 * Math.min(points.length, 8); const L = 40; const R = 560;
    const t0 = points[0].t; const t1 = points[points.length - 1].t;
    const x = (t) => (t1 === t0 ? (L + R) / 2 : L + ((t - t0) / (t1 - t0)) * (R - L));
    const first = new Date(t0).toISOString().slice(0, 10);
    const lastDay = new Date(t1).toISOString().slice(0, 10);
    const g = svg('svg', {
      viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart',
      'aria-label': `Timeline: ${points.length} dated documents from ${first} to ${lastDay}${undated ? `; ${undated} undated` : ''}`,
    });
    g.appendChild(svg('line', { x1: L, y1: H - 20, x2: R, y2: H - 20, class: 'axis' }));
    g.appendChild(svg('text', { x: L, y: H - 4, class: 'tick', 'text-anchor': 'start' }, first));
    if (t1 !== t0) g.appendChild(svg('text', { x: R, y: H - 4, class: 'tick', 'text-anchor': 'end' }, lastDay));
    points.forEach((p, i) => {
      const y = 16 + 22 * (i % 8);
      const px = x(p.t);
      g.appendChild(svg('line', { x1: px, y1: y, x2: px, y2: H - 20, class: 'stem' }));
      g.appendChild(svg('circle', { cx: px, cy: y, r: 5, class: `dot l-${p.label}` },
        svg('title', {}, `${p.id}: ${p.date} (${p.label})`)));
      const anchor = px > W / 2 ? 'end' : 'start';
      g.appendChild(svg('text', { x: px + (anchor === 'start' ? 8 : -8), y: y + 4, class: 'dot-label', 'text-anchor': anchor },
        `${p.rank ? `${p.rank}. ` : ''}${shortId(p.id)} ${String(p.date).slice(0, 10)}`));
    });
    box.appendChild(g);
    if (undated) box.appendChild(el('p', { class: 'help' }, `${undated} matched document${undated === 1 ? ' is' : 's are'} undated.`));
  }

  function renderCascade(res) {
    const box = $('cascade');
    clear(box);
    const n = res.matches.length;
    if (n === 0) return;
    const r = Math.min(120, 40 + 12 * n);
    const W = 600; const H = 2 * r + 80; const cx = W / 2; const cy = H / 2;
    const g = svg('svg', {
      viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart',
      'aria-label': `Cascade: your text and ${n} matched document${n === 1 ? '' : 's'}; `
        + res.matches.map((m) => `${m.id}: ${describeMatch(m)}`).join('; '),
    });
    g.appendChild(svg('defs', {}, svg('marker', {
      id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
    }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));
    const nodeR = 9;
    res.matches.forEach((m, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      const mx = cx + r * 1.9 * Math.cos(a);
      const my = cy + r * Math.sin(a);
      // The edge stops at the circles' rims so the arrowheads show.
      const dx = mx - cx; const dy = my - cy; const len = Math.hypot(dx, dy) || 1;
      const ux = dx / len; const uy = dy / len;
      const p1 = [cx + ux * (nodeR + 2), cy + uy * (nodeR + 2)];
      const p2 = [mx - ux * (nodeR + 2), my - uy * (nodeR + 2)];
      const src = m.direction.source;
      const [from, to] = src === 'match' ? [p2, p1] : [p1, p2];
      g.appendChild(svg('line', {
        x1: from[0], y1: from[1], x2: to[0], y2: to[1],
        class: src === 'unknown' ? 'edge unknown' : 'edge',
        'marker-end': src === 'unknown' ? null : 'url(#arrow)',
      }, svg('title', {}, `${m.id}: ${describeMatch(m)}`)));
      g.appendChild(svg('circle', { cx: mx, cy: my, r: nodeR, class: `dot l-${m.label}` },
        svg('title', {}, `${m.id} (${m.label}, ${fmt(m.score)})`)));
      const anchor = Math.abs(mx - cx) < 5 ? 'middle' : (mx > cx ? 'start' : 'end');
      const off = anchor === 'start' ? 13 : (anchor === 'end' ? -13 : 0);
      const yOff = anchor === 'middle' ? (my < cy ? -14 : 22) : 4;
      g.appendChild(svg('text', { x: mx + off, y: my + yOff, 'text-anchor': anchor, class: 'dot-label' },
        `${i + 1}. ${shortId(m.id)}`));
    });
    g.appendChild(svg('circle', { cx, cy, r: nodeR + 3, class: 'dot query' }));
    g.appendChild(svg('text', { x: cx, y: cy + nodeR + 18, 'text-anchor': 'middle', class: 'dot-label strong' }, 'your text'));
    box.appendChild(g);
  }

  async function showDetail(m) {
    if (!last) return;
    const status = $('q-status');
    status.textContent = `Comparing with ${m.id}…`;
    try {
      const res = await call('POST', `/api/documents/${encodeURIComponent(m.id)}/compare`,
        { text: last.text, date: last.date || null });
      const section = $('q-detail');
      section.hidden = false;
      const h = $('q-detail-h');
      h.textContent = `Your text and ${m.id}`;
      renderComparison($('q-detail-body'), res.comparison, last.text, res.document.text,
        { a: 'your text', b: m.id });
      status.textContent = `Showing your text and ${m.id} side by side.`;
      focusHeading(h);
    } catch (e) {
      status.textContent = `Error: ${e.message}`;
    }
  }

  $('q-file').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    const status = $('q-status');
    if (!f) return;
    if (f.size > MAX_FILE) { status.textContent = 'That file is over 8 MiB.'; return; }
    if (/\.html?$/i.test(f.name)) { status.textContent = 'Only plain-text (.txt) files can be loaded.'; return; }
    $('q-text').value = await f.text();
    status.textContent = `Loaded ${f.name} (${f.size.toLocaleString()} bytes).`;
  });

  $('query-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const status = $('q-status');
    const text = $('q-text').value;
    if (!text.trim()) { status.textContent = 'Paste an article first.'; $('q-text').focus(); return; }
    const date = $('q-date').value || null;
    const button = $('q-submit');
    button.disabled = true;
    status.textContent = 'Searching the index…';
    try {
      const res = await call('POST', '/api/query', { text, date, explain: true });
      last = { text, date };
      $('q-detail').hidden = true;
      renderSources(res);
      $('q-results').hidden = false;
      const h = $('q-results-h');
      h.textContent = res.matches.length
        ? `${res.matches.length} source${res.matches.length === 1 ? '' : 's'} found`
        : 'No source found';
      status.textContent = `${plural(res.matches.length, 'match', 'matches')} `
        + `(${plural(res.candidates, 'candidate', 'candidates')} compared).`;
      focusHeading(h);
    } catch (e) {
      status.textContent = `Error: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });

  // ---- compare two texts ---------------------------------------------------------------
  $('compare-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const status = $('c-status');
    const a = $('c-a').value;
    const b = $('c-b').value;
    if (!a.trim() || !b.trim()) { status.textContent = 'Paste both texts first.'; return; }
    const button = $('c-submit');
    button.disabled = true;
    status.textContent = 'Comparing…';
    try {
      const cmp = await call('POST', '/api/compare', {
        a, b, date_a: $('c-date-a').value || null, date_b: $('c-date-b').value || null,
      });
      $('c-result').hidden = false;
      renderComparison($('c-body'), cmp, a, b, { a: 'A', b: 'B' });
      status.textContent = `Verdict: ${cmp.verdict.label}.`;
      focusHeading($('c-result-h'));
    } catch (e) {
      status.textContent = `Error: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });

  health();
})();
