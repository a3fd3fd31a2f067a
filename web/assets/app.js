// authlens web page. Every string that comes from a message's headers is
// attacker-controlled: it is inserted with textContent (through el/txt
// below), never as HTML, and control characters and bidirectional
// overrides are removed first. Nothing is ever parsed as HTML, and there
// are no inline handlers.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  // clean strips control characters, ANSI escapes and bidi controls, as
  // the text report does, so hostile header text cannot reorder or hide
  // what is shown.
  const CONTROL = /\u001b\[[0-9;?]*[ -\/]*[@-~]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  function clean(v) {
    if (v === undefined || v === null) return '';
    return String(v).replace(CONTROL, '');
  }

  // el builds an element; children are nodes or strings (inserted as
  // text nodes). Attributes are limited to a safe list.
  function el(tag, opts, ...children) {
    const e = document.createElement(tag);
    if (opts) {
      if (opts.cls) e.className = opts.cls;
      if (opts.text !== undefined) e.textContent = clean(opts.text);
      if (opts.title) e.title = clean(opts.title);
      if (opts.scope) e.scope = opts.scope;
      if (opts.colspan) e.colSpan = opts.colspan;
      if (opts.label) e.setAttribute('aria-label', clean(opts.label));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === 'string' ? document.createTextNode(clean(c)) : c);
    }
    return e;
  }
  function clear(node) { node.replaceChildren(); }
  function badge(result, extra) {
    const r = clean(result || 'none').toLowerCase();
    return el('span', { cls: 'badge r-' + r.replace(/[^a-z]/g, '') + (extra ? ' ' + extra : ''), text: r });
  }
  function kv(dl, key, value) {
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return;
    const v = Array.isArray(value) ? value.map(clean).join(', ') : value;
    dl.append(el('dt', { text: key }), typeof v === 'object' ? el('dd', null, v) : el('dd', { text: v }));
  }
  function detail(text) { return text ? el('div', { cls: 'detail', text: text }) : null; }
  function table(headers, rows, cls) {
    const t = el('table', { cls: 'table' + (cls ? ' ' + cls : '') });
    const tr = el('tr');
    for (const h of headers) tr.append(el('th', { scope: 'col', text: h }));
    t.append(el('thead', null, tr));
    const tb = el('tbody');
    for (const r of rows) tb.append(r);
    t.append(tb);
    // Narrow windows show each row as a stack of labelled cells.
    for (const row of rows) {
      [...row.cells].forEach((c, i) => c.setAttribute('data-label', headers[i] || ''));
    }
    if (cls && cls.includes('stack')) t.classList.add('stack');
    return el('div', { cls: 'scroll' }, t);
  }
  function td(...c) { return el('td', null, ...c); }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function duration(s) {
    if (s === undefined || s === null) return '';
    const neg = s < 0; s = Math.abs(s);
    let out;
    if (s < 60) out = s + ' s';
    else if (s < 3600) out = Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    else if (s < 86400) out = Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    else out = Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
    return (neg ? '−' : '') + out;
  }

  // ---- engines ----------------------------------------------------------

  const state = { engine: null, info: null, file: null, records: [], current: 0, rawText: '' };

  async function detectEngine() {
    try {
      const r = await fetch('api/info', { headers: { Accept: 'application/json' } });
      if (r.ok) {
        const info = await r.json();
        if (info && info.engine === 'server') {
          state.engine = 'server';
          state.info = info;
          $('engine').textContent = 'Engine: authlens serve ' + clean(info.version || '') + ' (this machine)';
          $('foot-engine').textContent = ' and the authlens server on this machine';
          if (!info.online) {
            $('online').disabled = true;
            $('online-label').classList.add('disabled');
            $('online-label').title = clean(info.online_error || 'online checks unavailable');
          }
          return;
        }
      }
    } catch (e) { /* not served by authlens: use WebAssembly */ }
    await loadWasm();
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error('could not load ' + src));
      document.head.append(s);
    });
  }

  async function loadWasm() {
    state.engine = 'loading';
    $('online').disabled = true;
    $('online-label').classList.add('disabled');
    $('online-label').title = 'Online checks need authlens serve';
    $('engine').textContent = 'Engine: loading WebAssembly…';
    const t0 = performance.now();
    try {
      await loadScript('wasm_exec.js');
      const go = new Go();
      let inst;
      try {
        inst = await WebAssembly.instantiateStreaming(fetch('authlens.wasm'), go.importObject);
      } catch (e) {
        const resp = await fetch('authlens.wasm');
        if (!resp.ok) throw new Error('authlens.wasm: HTTP ' + resp.status);
        inst = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
      }
      go.run(inst.instance);
      if (!globalThis.authlensWasm) throw new Error('the WebAssembly engine did not start');
      state.engine = 'wasm';
      state.wasmLoadMs = Math.round(performance.now() - t0);
      $('engine').textContent = 'Engine: WebAssembly in this tab (loaded in ' + state.wasmLoadMs + ' ms; offline checks only)';
      $('foot-engine').textContent = ' (WebAssembly)';
    } catch (e) {
      state.engine = null;
      $('engine').textContent = 'No analysis engine: run "authlens serve", or serve the static build over HTTP (' + clean(e.message) + ')';
      $('engine').classList.add('bad');
    }
  }

  // analyze returns the records (parsed JSON objects) for bytes.
  async function analyzeBytes(bytes, source, online) {
    if (state.engine === 'server') {
      const q = new URLSearchParams();
      if (online) q.set('online', '1');
      if (source) q.set('source', source);
      const r = await fetch('api/analyze' + (q.toString() ? '?' + q : ''), {
        method: 'POST', body: bytes, headers: { 'Content-Type': 'application/octet-stream' },
      });
      const text = await r.text();
      if (!r.ok) {
        let msg = 'HTTP ' + r.status;
        try { msg = JSON.parse(text).error || msg; } catch (e) { /* keep status */ }
        throw new Error(msg);
      }
      return { text: text, records: parseLines(text) };
    }
    if (state.engine === 'wasm') {
      const out = globalThis.authlensWasm.analyze(bytes, source || '');
      if (out.error) throw new Error(out.error);
      return { text: out.json, records: parseLines(out.json) };
    }
    throw new Error('no analysis engine is available');
  }
  function parseLines(text) {
    return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  }

  // ---- input ------------------------------------------------------------

  const OUTLOOK = /\.(msg|pst|ost)$/i;
  function isOLE(b) { return b.length >= 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0; }
  const outlookHelp = ' is an Outlook file, not an Internet message: authlens needs the message source. ' +
    'In Outlook, open the message and use File → Properties → Internet headers (copy and paste them here), ' +
    'or save or drag the message as .eml.';

  async function loadFile(f) {
    setStatus('');
    if (OUTLOOK.test(f.name)) { setStatus(f.name + outlookHelp, true); return; }
    const max = (state.info && state.info.max_message_size) || 64 << 20;
    if (f.size > max) { setStatus(f.name + ' is larger than the limit of ' + max + ' bytes.', true); return; }
    const bytes = new Uint8Array(await f.arrayBuffer());
    if (isOLE(bytes)) { setStatus(f.name + outlookHelp, true); return; }
    state.file = { name: f.name, bytes: bytes };
    const ta = $('input');
    if (bytes.length <= 1 << 20) {
      ta.value = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    } else {
      ta.value = '';
      ta.placeholder = f.name + ' (' + bytes.length + ' bytes) loaded; too large to show here. Press Analyze.';
    }
    state.fileText = ta.value;
    run();
  }

  function setStatus(msg, bad) {
    const s = $('status');
    s.textContent = clean(msg);
    s.classList.toggle('bad', !!bad);
  }

  async function run() {
    const ta = $('input');
    let bytes, source = '';
    if (state.file && ta.value === state.fileText) {
      bytes = state.file.bytes;
      source = state.file.name;
    } else {
      state.file = null;
      if (ta.value.trim() === '') { setStatus('Paste a message or its headers first.', true); ta.focus(); return; }
      bytes = new TextEncoder().encode(ta.value);
    }
    if (!state.engine || state.engine === 'loading') { setStatus('The analysis engine is not ready yet.', true); return; }
    const btn = $('analyze');
    btn.disabled = true;
    setStatus('Analyzing…');
    const t0 = performance.now();
    try {
      await new Promise((r) => setTimeout(r, 0)); // let the status paint before a WebAssembly run
      const res = await analyzeBytes(bytes, source, $('online').checked);
      state.rawText = res.text;
      state.records = res.records;
      state.current = 0;
      renderPicker();
      render(state.records[0]);
      setStatus('Analyzed in ' + Math.round(performance.now() - t0) + ' ms' + (state.records.length > 1 ? ' (' + state.records.length + ' messages)' : '') + '.');
      $('verdict').focus();
    } catch (e) {
      setStatus('Analysis failed: ' + e.message, true);
    } finally {
      btn.disabled = false;
    }
  }

  function renderPicker() {
    const p = $('picker'), sel = $('record');
    clear(sel);
    p.hidden = state.records.length < 2;
    state.records.forEach((r, i) => {
      const o = el('option', { text: (i + 1) + ': ' + clean(r.source) + ' — ' + ((r.verdict && r.verdict.status) || (r.error ? 'error' : '')) });
      o.value = String(i);
      sel.append(o);
    });
  }

  // ---- rendering --------------------------------------------------------

  function render(r) {
    $('results').hidden = false;
    document.body.classList.add('has-results');
    const v = r.verdict || {};
    const status = r.error && !v.status ? 'error' : (v.status || 'unknown');
    const vd = $('verdict');
    vd.className = 'verdict v-' + status.replace(/[^a-z]/g, '');
    $('verdict-status').textContent = status.toUpperCase();
    $('verdict-summary').textContent = clean(v.summary || r.error || '');
    $('verdict-basis').textContent = v.basis ? 'Verdict based on the results recorded by ' + clean(v.basis) + '.' : (status === 'error' ? '' : 'No trusted receiver recorded results.');
    const err = $('error');
    err.hidden = !r.error;
    err.textContent = r.error ? 'Could not be analysed completely: ' + clean(r.error) : '';
    renderMessage(r);
    renderFindings(r.findings || []);
    renderAuth(r);
    renderARC(r.arc);
    renderCompauth(r.compauth);
    renderAntispam(r.antispam);
    renderReceived(r.received);
    renderSubmission(r.submission);
    renderAR(r.auth_results || []);
    renderDNS(r.dns);
  }

  function addrText(a) {
    if (!a) return '';
    if (typeof a === 'string') return a;
    const name = a.name || a.display_name;
    const addr = a.address || '';
    return name ? '"' + name + '" <' + addr + '>' : addr;
  }
  function listText(v) {
    if (v === undefined || v === null) return '';
    if (Array.isArray(v)) return v.map(addrText).filter(Boolean).join(', ');
    if (typeof v === 'object') return addrText(v);
    return String(v);
  }

  function renderMessage(r) {
    const dl = $('message');
    clear(dl);
    const m = r.message || {};
    const from = r.from || {};
    let fromText = addrText({ name: from.display_name || from.name || m.from_display_name || m.display_name, address: from.address });
    if (from.domain && from.address && !from.address.toLowerCase().endsWith('@' + from.domain)) fromText += ' (domain ' + from.domain + ')';
    kv(dl, 'From', fromText || (from.domain ? '(domain ' + from.domain + ')' : '(none)'));
    kv(dl, 'Reply-To', listText(m.reply_to || r.reply_to));
    kv(dl, 'To', listText(m.to));
    kv(dl, 'Subject', m.subject);
    kv(dl, 'Date', m.date);
    kv(dl, 'Message-ID', m.message_id);
    const mf = r.mail_from;
    if (mf && (mf.address || mf.domain || mf.origin)) {
      kv(dl, 'MailFrom', (mf.address || (mf.domain ? mf.domain + ' (domain only)' : '<> (null sender)')) + (mf.origin ? ' — from ' + mf.origin : ''));
    }
    kv(dl, 'Source', r.source === '-' ? '(pasted)' : r.source);
    const shown = new Set(['subject', 'date', 'message_id', 'to', 'reply_to', 'from_display_name', 'display_name']);
    for (const k of Object.keys(m)) {
      if (shown.has(k)) continue;
      const val = m[k];
      if (typeof val === 'string' || typeof val === 'number') kv(dl, k.replace(/_/g, ' '), String(val));
      else if (Array.isArray(val)) kv(dl, k.replace(/_/g, ' '), listText(val));
    }
  }

  const SEV = { high: 0, medium: 1, low: 2, info: 3 };
  function renderFindings(fs) {
    const ol = $('findings');
    clear(ol);
    const sorted = fs.slice().sort((a, b) => (SEV[a.severity] ?? 9) - (SEV[b.severity] ?? 9));
    if (sorted.length === 0) ol.append(el('li', null, el('span'), el('span', { cls: 'muted', text: 'No findings.' })));
    for (const f of sorted) {
      ol.append(el('li', null, badge(f.severity), el('span', { cls: 'code', text: f.code }), el('span', { cls: 'msg', text: f.message })));
    }
  }

  // Alignment alone is no pass: "SPF none, aligned" would read as if
  // something had passed.
  function alignedText(result, aligned) {
    if (!aligned) return 'not aligned';
    return result === 'pass' ? 'aligned' : 'aligned domain, but no pass';
  }

  function verdictCell(v, kind) {
    if (!v || (!v.result && !v.error)) return td(el('span', { cls: 'muted', text: '—' }));
    const parts = [badge(v.result || 'error')];
    const d = [];
    if (v.domain) d.push(v.domain);
    if (v.aligned !== undefined) d.push(alignedText(v.result, v.aligned));
    if (kind === 'dmarc') {
      if (v.policy) d.push('policy ' + v.policy);
      if (v.disposition) d.push('disposition ' + v.disposition);
    }
    parts.push(' ', d.join(', '));
    const extra = [];
    if (v.client_ip) extra.push('client ' + v.client_ip + (v.client_ip_from ? ' (from ' + v.client_ip_from + ')' : ''));
    if (v.explanation) extra.push(v.explanation);
    if (v.policy_domain && v.policy_domain !== v.domain) extra.push('policy from ' + v.policy_domain);
    if (v.reason) extra.push(v.reason);
    if (v.body_intact === true) extra.push('body intact');
    if (v.body_intact === false) extra.push('body changed since signing');
    if (v.warnings && v.warnings.length) extra.push('warnings: ' + v.warnings.join('; '));
    if (v.error) extra.push('error: ' + v.error);
    return td(...parts, ...extra.map(detail));
  }

  function renderAuth(r) {
    const tb = $('auth').tBodies[0];
    clear(tb);
    const row = (name, rec, ev, kind, sub) => tb.append(el('tr', null, el('th', { scope: 'row' }, name, sub ? detail(sub) : null), verdictCell(rec, kind), verdictCell(ev, kind)));
    row('SPF', r.spf, r.spf_evaluated, 'spf');
    const dk = r.dkim || [];
    const sigs = new Map();
    for (const d of dk) {
      const key = (d.domain || '') + '|' + (d.selector || '');
      if (!sigs.has(key)) sigs.set(key, { domain: d.domain, selector: d.selector });
      sigs.get(key)[d.origin === 'evaluated' ? 'ev' : 'rec'] = d;
    }
    if (sigs.size === 0) row('DKIM', null, null);
    for (const s of sigs.values()) {
      row('DKIM', s.rec, s.ev, 'dkim', 'd=' + (s.domain || '?') + (s.selector ? ' s=' + s.selector : ''));
    }
    row('DMARC', r.dmarc, r.dmarc_evaluated, 'dmarc');
    if (r.arc) {
      const a = r.arc;
      const cell = { result: a.result, reason: a.explanation || a.reason };
      row('ARC', a.checked === 'online' ? null : cell, a.checked === 'online' ? cell : null);
    }
    if (r.compauth && r.compauth.result) {
      row('compauth', { result: r.compauth.result, reason: r.compauth.reason ? 'reason ' + r.compauth.reason : '' }, null);
    }
  }

  function renderARC(a) {
    const card = $('arc-card'), box = $('arc');
    clear(box);
    card.hidden = !a;
    if (!a) return;
    box.append(el('p', null, badge(a.result), ' ', 'checked ' + (a.checked || '?'),
      a.failed_instance ? ', failed at i=' + a.failed_instance : '', a.trusted ? ', every sealer trusted' : ''));
    if (a.explanation) box.append(detail(a.explanation));
    const rows = (a.sets || []).map((s) => {
      const saw = s.saw || {};
      const sawParts = [];
      if (saw.authserv_id) sawParts.push('as ' + saw.authserv_id);
      for (const k of ['spf', 'dkim', 'dmarc', 'arc']) if (saw[k]) sawParts.push(k + '=' + saw[k]);
      if (saw.mail_from) sawParts.push('mailfrom ' + saw.mail_from);
      if (saw.dkim_domains && saw.dkim_domains.length) sawParts.push('dkim d=' + saw.dkim_domains.join(','));
      if (saw.header_from) sawParts.push('from ' + saw.header_from);
      const checks = [];
      if (s.seal_verified !== undefined) checks.push('seal ' + (s.seal_verified ? 'verified' : 'not verified'));
      if (s.signature_verified !== undefined) checks.push('signature ' + (s.signature_verified ? 'verified' : 'not verified'));
      if (s.body_intact !== undefined) checks.push(s.body_intact ? 'body intact' : 'body changed');
      return el('tr', null, td(String(s.instance)), td(el('span', { cls: 'mono', text: s.sealer || '' }), detail(s.selector ? 's=' + s.selector : '')),
        td(badge(s.cv)), td(checks.join(', ')), td(sawParts.join('; ')));
    });
    box.append(table(['i=', 'Sealed by', 'cv', 'Checks', 'What that hop saw'], rows, 'stack'));
    if (a.oldest_pass) box.append(el('p', { cls: 'note', text: 'Oldest passing instance: ' + a.oldest_pass }));
  }

  function renderCompauth(c) {
    const card = $('compauth-card'), box = $('compauth');
    clear(box);
    card.hidden = !c || !c.result;
    if (card.hidden) return;
    box.append(el('p', null, badge(c.result), ' ', c.reason ? 'reason ' + c.reason : '', ' ', c.confidence ? el('span', { cls: 'badge', text: c.confidence, title: 'How sure this meaning is' }) : null));
    if (c.meaning) box.append(el('p', { cls: 'note', text: c.meaning }));
    if (c.estimate) {
      const e = c.estimate;
      box.append(el('p', { cls: 'sub', text: 'Estimate from SPF, DKIM, DMARC and ARC' }),
        el('p', { cls: 'note' }, badge(e.result), ' ', e.reason ? 'reason ' + e.reason + ' ' : '', e.confidence ? '(' + e.confidence + ') ' : '', e.basis || ''));
    }
    if (c.comparison) {
      box.append(el('p', { cls: 'sub', text: 'Recorded vs estimate: ' + (c.comparison.agreement || '') }), el('p', { cls: 'note', text: c.comparison.message || '' }));
    }
    if (c.next_steps && c.next_steps.length) {
      box.append(el('p', { cls: 'sub', text: 'Next steps' }), el('ul', { cls: 'plain' }, ...c.next_steps.map((s) => el('li', { text: s }))));
    }
  }

  function fieldRows(fields) {
    return (fields || []).map((f) => el('tr', null,
      td(el('span', { cls: 'mono' + (f.known === false ? ' unknown-key' : ''), text: f.key })),
      td(el('span', { cls: 'mono', text: f.value })),
      td(f.name || (f.known === false ? 'unknown field' : ''), detail(f.meaning)),
      td(f.confidence ? el('span', { cls: 'badge', text: f.confidence }) : '')));
  }

  function renderAntispam(a) {
    const card = $('antispam-card'), box = $('antispam');
    clear(box);
    card.hidden = !a;
    if (!a) return;
    const summary = el('dl', { cls: 'kv' });
    if (a.scl) kv(summary, 'SCL', a.scl.value + (a.scl.meaning ? ' — ' + a.scl.meaning : ''));
    if (a.pcl) kv(summary, 'PCL', a.pcl.value + (a.pcl.meaning ? ' — ' + a.pcl.meaning : ''));
    if (a.microsoft && a.microsoft.bcl !== undefined) kv(summary, 'BCL', String(a.microsoft.bcl));
    if (a.forefront) {
      kv(summary, 'Connecting IP', a.forefront.connecting_ip);
      kv(summary, 'Country', a.forefront.country);
      kv(summary, 'Verdict (SFV)', a.forefront.sfv);
      kv(summary, 'Category', a.forefront.cat);
    }
    if (a.mailbox_delivery && a.mailbox_delivery.dest) kv(summary, 'Delivered to', a.mailbox_delivery.dest === 'J' ? 'J (Junk Email folder)' : a.mailbox_delivery.dest === 'I' ? 'I (Inbox)' : a.mailbox_delivery.dest);
    box.append(summary);
    const groups = [['X-Forefront-Antispam-Report', a.forefront], ['X-Microsoft-Antispam', a.microsoft], ['X-Microsoft-Antispam-Mailbox-Delivery', a.mailbox_delivery]];
    for (const [name, g] of groups) {
      if (!g || !g.fields || !g.fields.length) continue;
      const d = el('details', null, el('summary', { text: name + ' (' + plural(g.fields.length, 'field', 'fields') + ')' }), table(['Key', 'Value', 'Meaning', 'Confidence'], fieldRows(g.fields)));
      box.append(d);
    }
  }

  function renderReceived(rc) {
    const box = $('received');
    clear(box);
    const hops = (rc && rc.hops) || [];
    if (!hops.length) { box.append(el('p', { cls: 'muted', text: 'No Received fields.' })); return; }
    const facts = [];
    facts.push(plural(hops.length, 'hop', 'hops') + ', oldest first');
    if (rc.total_delay_known) facts.push('total delay ' + duration(rc.total_delay_seconds));
    if (rc.receiver_org) facts.push('receiving organization ' + rc.receiver_org);
    if (rc.entry_client_ip) facts.push('entered from ' + rc.entry_client_ip);
    box.append(el('p', { cls: 'note', text: facts.join('; ') + '.' }));
    let max = 0;
    for (const h of hops) if (h.delay_known) max = Math.max(max, Math.abs(h.delay_seconds || 0));
    const entry = typeof rc.entry === 'number' ? rc.entry : -1;
    const rows = hops.map((h, i) => {
      const hop = h.hop || {};
      const from = [];
      if (hop.from) from.push(el('span', { cls: 'mono', text: hop.from }));
      const fd = [];
      if (hop.helo && hop.helo !== hop.from) fd.push('helo ' + hop.helo);
      if (hop.reverse_dns) fd.push('rDNS ' + hop.reverse_dns);
      if (hop.ip) fd.push(hop.ip);
      from.push(detail(fd.join(', ')));
      let bar = el('span', { cls: 'muted', text: '—' });
      if (h.delay_known) {
        const s = h.delay_seconds || 0;
        const b = el('div', { cls: 'bar' + (s < 0 ? ' bad' : '') });
        b.style.width = (max > 0 ? Math.max(2, Math.round(Math.abs(s) / max * 100)) : 2) + '%';
        bar = el('div', null, el('div', { cls: 'bar-track', label: 'delay ' + duration(s) }, b), el('span', { cls: 'detail', text: duration(s) }));
      }
      const tr = el('tr', null,
        td(String(i + 1), i === entry ? el('div', null, el('span', { cls: 'badge r-info', text: 'entry', title: 'The message entered the receiving organization here' })) : null),
        td(...from),
        td(el('span', { cls: 'mono', text: hop.by || '' }), detail([hop.with ? 'with ' + hop.with : '', hop.via ? 'via ' + hop.via : ''].filter(Boolean).join(' '))),
        td(hop.date_text || '', h.error ? detail('error: ' + h.error) : null),
        el('td', { cls: 'bar-cell' }, bar));
      if (i === entry) tr.className = 'entry';
      return tr;
    });
    box.append(table(['#', 'From', 'By', 'Date', 'Delay'], rows, 'hops stack'));
  }

  function renderSubmission(s) {
    const card = $('submission-card'), box = $('submission');
    clear(box);
    const parts = [];
    if (s && s.exchange) {
      const e = s.exchange;
      const dl = el('dl', { cls: 'kv' });
      kv(dl, 'AuthAs', (e.auth_as || '') + (e.auth_as_meaning ? ' — ' + e.auth_as_meaning : ''));
      kv(dl, 'AuthSource', e.auth_source);
      if (e.mechanism) kv(dl, 'AuthMechanism', (e.mechanism.value || e.mechanism.code || '') + (e.mechanism.name ? ' — ' + e.mechanism.name : '') + (e.mechanism.meaning ? ': ' + e.mechanism.meaning : ''));
      parts.push(dl);
    }
    if (s && s.received && s.received.hops && s.received.hops.length) {
      parts.push(el('p', { cls: 'note', text: 'Authenticated hops (RFC 3848): ' + s.received.hops.map((h) => '#' + ((h.index || 0) + 1) + ' ' + (h.with || '') + (h.role ? ' (' + h.role + ')' : '') + (h.client_ip ? ' from ' + h.client_ip : '')).join('; ') }));
    }
    if (s && s.smtp_auth && s.smtp_auth.length) {
      parts.push(el('p', { cls: 'note', text: 'SMTP AUTH: ' + s.smtp_auth.map((a) => (a.user || '?') + (a.mechanism ? ' (' + a.mechanism + ')' : '') + ' recorded by ' + (a.authserv_id || a.field || '?')).join('; ') }));
    }
    card.hidden = parts.length === 0;
    box.append(...parts);
  }

  function renderAR(fields) {
    const box = $('ar');
    clear(box);
    if (!fields.length) { box.append(el('p', { cls: 'muted', text: 'None.' })); return; }
    const rows = [];
    fields.forEach((f) => {
      const res = f.results || [];
      const who = (f.authserv_id || '(no authserv-id)') + (f.instance ? ' i=' + f.instance : '');
      const first = [td(el('span', { cls: 'mono', text: f.field }), detail(who)), td(f.trusted ? el('span', { cls: 'badge r-pass', text: 'trusted' }) : el('span', { cls: 'badge', text: 'not trusted' }))];
      const resCell = td();
      for (const x of res) {
        const props = Object.entries(x.props || {}).map(([k, v]) => k + '=' + v).join(' ');
        resCell.append(el('div', null, el('span', { cls: 'mono', text: x.method }), ' ', badge(x.result), ' ', el('span', { cls: 'detail', text: [props, x.reason && !(x.props && x.props.reason) ? 'reason ' + x.reason : '', (x.comments || []).map((c) => '(' + c + ')').join(' ')].filter(Boolean).join(' ') })));
      }
      if (f.error) resCell.append(detail('error: ' + f.error));
      rows.push(el('tr', null, ...first, resCell));
    });
    box.append(table(['Field', 'Trust', 'Results'], rows, 'stack'));
  }

  function renderDNS(dns) {
    const card = $('dns-card'), box = $('dns');
    clear(box);
    card.hidden = !dns || !dns.length;
    if (card.hidden) return;
    box.append(table(['Name', 'Type', 'Class', 'Records'], dns.map((q) => el('tr', null,
      td(el('span', { cls: 'mono', text: q.name })), td(q.type || ''), td(q.class === 'ok' ? el('span', { cls: 'badge r-pass', text: 'ok' }) : badge(q.class), q.cached ? detail('cached') : null),
      td(...(q.records || []).map((x) => el('div', { cls: 'mono detail', text: x })), q.error ? detail(q.error) : null)))));
  }

  // ---- actions ----------------------------------------------------------

  function summaryText(r) {
    const v = r.verdict || {};
    const L = [];
    L.push('authlens verdict: ' + (v.status || (r.error ? 'error' : 'unknown')).toUpperCase() + (v.summary ? ' — ' + v.summary : ''));
    if (r.error) L.push('Error: ' + r.error);
    const m = r.message || {};
    if (r.from && (r.from.address || r.from.domain)) L.push('From: ' + (r.from.address || '') + (r.from.domain ? ' (domain ' + r.from.domain + ')' : ''));
    if (m.reply_to) L.push('Reply-To: ' + listText(m.reply_to));
    if (m.subject) L.push('Subject: ' + m.subject);
    if (m.date) L.push('Date: ' + m.date);
    if (m.message_id) L.push('Message-ID: ' + m.message_id);
    if (r.mail_from && (r.mail_from.address || r.mail_from.domain)) L.push('MailFrom: ' + (r.mail_from.address || '<>'));
    const res = (x) => x ? x.result + (x.domain ? ' ' + x.domain : '') + (x.aligned !== undefined ? ', ' + alignedText(x.result, x.aligned) : '') + ' [' + (x.origin || 'recorded') + ']' : '-';
    L.push('SPF: ' + res(r.spf) + (r.spf_evaluated ? '; evaluated ' + res(r.spf_evaluated) : ''));
    const dk = r.dkim || [];
    L.push('DKIM: ' + (dk.length ? dk.map((d) => d.result + ' ' + (d.domain || '') + (d.selector ? ' s=' + d.selector : '') + ', ' + alignedText(d.result, d.aligned) + ' [' + (d.origin || '') + ']').join('; ') : '-'));
    L.push('DMARC: ' + res(r.dmarc) + (r.dmarc && r.dmarc.policy ? ', policy ' + r.dmarc.policy : '') + (r.dmarc_evaluated ? '; evaluated ' + res(r.dmarc_evaluated) : ''));
    if (r.arc) L.push('ARC: ' + r.arc.result + ' (' + (r.arc.checked || '') + ')');
    if (r.compauth && r.compauth.result) L.push('compauth: ' + r.compauth.result + (r.compauth.reason ? ' reason ' + r.compauth.reason : '') + (r.compauth.meaning ? ' — ' + r.compauth.meaning : ''));
    const rc = r.received;
    if (rc && rc.hops && rc.hops.length) {
      const e = rc.hops[rc.entry] ? rc.hops[rc.entry].hop : null;
      L.push('Received: ' + plural(rc.hops.length, 'hop', 'hops') + (rc.entry_client_ip ? ', entered from ' + rc.entry_client_ip : '') + (e && e.from ? ' (' + e.from + ')' : '') + (rc.total_delay_known ? ', total delay ' + duration(rc.total_delay_seconds) : ''));
    }
    const fs = (r.findings || []).slice().sort((a, b) => (SEV[a.severity] ?? 9) - (SEV[b.severity] ?? 9));
    if (fs.length) {
      L.push('Findings:');
      for (const f of fs) L.push('  [' + f.severity + '] ' + f.code + ': ' + f.message);
    }
    return L.map(clean).join('\n') + '\n';
  }

  async function copySummary() {
    const r = state.records[state.current];
    if (!r) return;
    const text = summaryText(r);
    try {
      await navigator.clipboard.writeText(text);
      setStatus('Summary copied to the clipboard.');
    } catch (e) {
      const ta = el('textarea');
      ta.value = text;
      document.body.append(ta);
      ta.select();
      const ok = document.execCommand('copy');
      ta.remove();
      setStatus(ok ? 'Summary copied to the clipboard.' : 'Could not copy: the browser refused access to the clipboard.', !ok);
    }
  }

  function downloadJSON() {
    const r = state.records[state.current];
    if (!r) return;
    const line = state.rawText.split('\n').filter((l) => l.trim() !== '')[state.current] + '\n';
    const blob = new Blob([line], { type: 'application/json' });
    const a = el('a');
    a.href = URL.createObjectURL(blob);
    const base = clean(r.source || 'message').replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9._-]+/g, '_');
    a.download = 'authlens-' + (base === '-' || base === '_' ? 'message' : base) + '.json';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  // ---- wiring -----------------------------------------------------------

  function init() {
    $('analyze').addEventListener('click', run);
    $('clear').addEventListener('click', () => {
      $('input').value = ''; state.file = null; $('results').hidden = true; document.body.classList.remove('has-results'); setStatus(''); $('input').focus();
    });
    $('copy').addEventListener('click', copySummary);
    $('download').addEventListener('click', downloadJSON);
    $('record').addEventListener('change', (e) => { state.current = Number(e.target.value) || 0; render(state.records[state.current]); });
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); run(); }
    });
    const file = $('file');
    file.addEventListener('change', () => { if (file.files && file.files[0]) loadFile(file.files[0]); file.value = ''; });
    file.addEventListener('focus', () => document.body.classList.add('file-focus'));
    file.addEventListener('blur', () => document.body.classList.remove('file-focus'));
    let depth = 0;
    window.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; document.body.classList.add('dragging'); });
    window.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; document.body.classList.remove('dragging'); } });
    window.addEventListener('dragover', (e) => { e.preventDefault(); });
    window.addEventListener('drop', (e) => {
      e.preventDefault(); depth = 0; document.body.classList.remove('dragging');
      const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) loadFile(f);
      else {
        const t = e.dataTransfer && e.dataTransfer.getData('text/plain');
        if (t) { $('input').value = t; state.file = null; }
      }
    });
    detectEngine();
  }

  // Exposed for tests and scripts: the plain-text summary of a record.
  globalThis.authlensPage = { summaryText: summaryText, state: state };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
