// simple.js — the plain-HTML portal (simple.html): sign in, file a ticket (its draft saved on the
// device as you type, help articles suggested from its words), search and read help articles (and
// say one solved the problem), follow your tickets and reply — through the same engine Worker and the same
// versioned JSON commands as the canvas portal, so it works offline, shares one database with any
// other open tab, and never runs SQL or touches the network itself.
// Every engine answer is text: {v, id, ok, result | error} for a command, {v, event, data} for an
// event. The page asks again on events (tickets_changed, sync_changed, status_changed) and polls
// status every second for the connection line.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const worker = new Worker('engine-worker.js');
  const pending = new Map();  // command id → {resolve}
  let nextId = 1;
  let status = null;
  let openTicketId = '';

  // [SECTION] the engine channel
  function send(cmd, args = {}) {
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      worker.postMessage(JSON.stringify({ v: 1, id, cmd, args }));
    });
  }
  worker.onmessage = (event) => {
    let message;
    try { message = JSON.parse(String(event.data)); } catch (err) { return; }
    if (message.event) return onEvent(message.event, message.data || {});
    const resolve = pending.get(message.id);
    if (!resolve) return;
    pending.delete(message.id);
    resolve(message);
  };
  worker.onerror = (event) => showConnection('The help desk could not start on this device: ' + (event.message || 'error'), 'error');
  function onEvent(name, data) {
    if (name === 'status_changed') render(data);
    if (name === 'tickets_changed' || name === 'sync_changed') { refreshTickets(); refreshTicket(); refreshStatus(); }
    if (name === 'engine_failed') showConnection('The help desk stopped on this device: ' + (data.message || 'error'), 'error');
  }

  // [SECTION] words, as the canvas portal says them (client/ui/ticket_screens.cpp)
  const STATUS = { new: 'New', triaged: 'Triaged', assigned: 'Assigned', in_progress: 'In progress',
    waiting_on_requester: 'Waiting for you', resolved: 'Resolved', closed: 'Closed' };
  const PRIORITY = { critical: 'P1 Critical', high: 'P2 High', medium: 'P3 Medium', low: 'P4 Low', planning: 'P5 Planning' };
  const online = () => Boolean(status && status.connection && status.connection.online);
  function delivery(sync = {}) {
    switch (sync.state) {
      case 'saved_on_device': return 'Saved on this device — sent when you are online';
      case 'sent': return online() ? 'Sent — waiting for the help desk to confirm' : 'Saved on this device — sent again when you are online';
      case 'received': return 'Received by the help desk';
      case 'rejected': return `Not accepted by the help desk: ${sync.message || 'no reason given'} (${sync.code || 'rejected'})`;
      default: return 'Delivery state unknown';
    }
  }
  const number = (n) => (Number.isInteger(n) ? '#' + n : '—');
  const when = (ms) => (Number.isInteger(ms) ? new Date(ms).toLocaleString() : '');

  // [SECTION] status: connection line, sign-in, storage
  function showConnection(text, kind) {
    $('connection').textContent = text;
    $('connection').className = kind;
  }
  function render(next) {
    status = next;
    const sync = status.sync || {};
    const parts = [online() ? 'Online' : 'Offline'];
    const waiting = sync.pending_batches || 0;
    if (!sync.enrolled) parts.push(waiting ? `${waiting} change(s) kept on this device until you sign in` : 'Not signed in');
    else parts.push(waiting ? `${waiting} change(s) waiting to send` : 'Everything is sent');
    if (Number.isInteger(sync.last_sync_ms)) parts.push('last synced ' + when(sync.last_sync_ms));
    showConnection(parts.join(' · '), online() ? 'ok' : 'offline');
    $('sign-in').hidden = Boolean(sync.enrolled);
    $('sign-in-link').hidden = Boolean(sync.enrolled);
    if (sync.enrolling) $('sign-in-message').textContent = 'Signing in…';
    $('impact-choices').hidden = sync.role === 'guest';  // guests do not set impact
    const storage = status.storage || {};
    $('storage-warning').hidden = storage.durable !== false;
    $('storage-warning').textContent = 'This browser may not keep offline data: ' + (storage.note || 'no durable storage');
  }
  async function refreshStatus() {
    const r = await send('status');
    if (r.ok) render(r.result);
  }

  // [SECTION] sign-in
  async function enroll(args) {
    $('sign-in-message').textContent = 'Signing in…';
    const r = await send('enroll', { ...args, device_label: 'Web browser (simple version)', platform: 'web' });
    $('sign-in-message').textContent = r.ok ? 'Signing in… tickets are sent as soon as the help desk answers.' : r.error.message;
    refreshStatus();
  }
  $('invite-form').addEventListener('submit', (e) => { e.preventDefault(); enroll({ invite: $('invite-code').value.trim() }); });
  $('guest-form').addEventListener('submit', (e) => {
    e.preventDefault();
    enroll({ guest: true, display_name: $('guest-name').value.trim(), email: $('guest-email').value.trim() });
  });

  // [SECTION] the new ticket: draft, category, submit
  let draftTimer = 0, categoryTimer = 0, categoryPicked = false;
  async function loadForm() {
    const categories = await send('categories');
    if (categories.ok) {
      for (const c of categories.result.categories || []) $('category').add(new Option(c.label, c.id));
      $('category').value = categories.result.fallback || '';
    }
    const draft = await send('get_draft', { form: 'new_ticket' });
    if (draft.ok && draft.result.fields) {
      $('title').value ||= draft.result.fields.title || '';
      $('description').value ||= draft.result.fields.description || '';
      if (draft.result.saved_at_ms) $('draft-state').textContent = 'Draft saved on this device.';
      suggestCategory();
      suggestArticles();
    }
  }
  function edited() {
    $('draft-state').textContent = 'Saving draft…';
    $('form-message').textContent = '';
    clearTimeout(draftTimer);
    draftTimer = setTimeout(async () => {
      const r = await send('save_draft', { form: 'new_ticket', fields: { title: $('title').value, description: $('description').value } });
      $('draft-state').textContent = r.ok ? 'Draft saved on this device.' : 'The draft could not be saved: ' + r.error.message;
    }, 400);
    clearTimeout(categoryTimer);
    categoryTimer = setTimeout(suggestCategory, 300);
  }
  async function suggestCategory() {
    if (categoryPicked) return;
    const r = await send('suggest_category', { title: $('title').value, description: $('description').value });
    if (!r.ok || categoryPicked || !r.result.category) return;
    $('category').value = r.result.category;
    const words = r.result.matched || [];
    $('category-hint').textContent = words.length ? `Suggested from: ${words.join(', ')}. Change it if it is wrong.` : '';
  }
  $('title').addEventListener('input', edited);
  $('description').addEventListener('input', edited);
  $('category').addEventListener('change', () => { categoryPicked = true; $('category-hint').textContent = ''; });
  $('ticket-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const title = $('title').value.trim(), description = $('description').value.trim();
    const problem = title.length < 3 ? ['title', 'Add a short title (at least 3 characters) so the help desk can see what it is about.']
      : !description ? ['description', 'Describe the problem: what happened, and what you have tried.'] : null;
    if (problem) {
      $('form-message').textContent = problem[1];
      $(problem[0]).setAttribute('aria-invalid', 'true');
      $(problem[0]).focus();
      return;
    }
    ['title', 'description'].forEach((f) => $(f).removeAttribute('aria-invalid'));
    clearTimeout(draftTimer);
    $('submit').disabled = true;
    const args = { title, description, category: $('category').value,
      urgency: document.querySelector('input[name=urgency]:checked').value };
    if (!$('impact-choices').hidden) args.impact = document.querySelector('input[name=impact]:checked').value;
    const r = await send('create_ticket', args);
    $('submit').disabled = false;
    if (!r.ok) { $('form-message').textContent = 'The ticket could not be saved: ' + r.error.message; return; }
    $('title').value = '';
    $('description').value = '';
    categoryPicked = false;
    $('category-hint').textContent = '';
    $('draft-state').textContent = '';
    $('suggestions').hidden = true;
    $('form-message').textContent = 'Saved on this device.';
    await refreshTickets();
    openTicket(r.result.ticket_id);
  });

  // [SECTION] help articles: suggestions for the draft, search, the reader, deflection
  let suggestTimer = 0, searchTimer = 0, articleId = '', articleFromForm = false;
  const plain = (marked) => String(marked || '').replace(/[\u0002\u0003]/g, '');
  function articleList(list, hits, fromForm) {
    list.replaceChildren(...hits.map((hit) => {
      const li = document.createElement('li');
      const link = document.createElement('a');
      link.href = '#article';
      link.textContent = hit.title;
      link.addEventListener('click', (e) => { e.preventDefault(); openArticle(hit.id, fromForm); });
      const snippet = document.createElement('div');
      snippet.className = 'muted';
      snippet.textContent = plain(hit.snippet);
      li.append(link, snippet);
      return li;
    }));
  }
  function suggestArticles() {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(async () => {
      const text = $('title').value + '\n' + $('description').value;
      if (text.trim().length < 3) { $('suggestions').hidden = true; return; }
      const r = await send('suggest', { text, limit: 5 });
      const hits = r.ok ? r.result.hits || [] : [];
      articleList($('suggestion-list'), hits, true);
      $('suggestions').hidden = hits.length === 0;
    }, 200);
  }
  async function searchArticles() {
    const r = await send('kb_search', { query: $('article-search').value, limit: 50 });
    if (r.ok) articleList($('article-results'), r.result.hits || [], false);
  }
  async function openArticle(id, fromForm) {
    const r = await send('kb_article', { id });
    if (!r.ok) return;
    articleId = id;
    articleFromForm = fromForm;
    $('article-title').textContent = r.result.title;
    $('article-category').textContent = r.result.category || '';
    $('article-text').textContent = r.result.markdown || '';
    $('article-message').textContent = '';
    $('article').hidden = false;
    $('article').focus();
  }
  $('title').addEventListener('input', suggestArticles);
  $('description').addEventListener('input', suggestArticles);
  $('article-search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(searchArticles, 150); });
  $('article-solved').addEventListener('click', async () => {
    const r = await send('record_deflection', { article_id: articleId, draft_title: articleFromForm ? $('title').value : '' });
    if (!r.ok) { $('article-message').textContent = 'That could not be recorded: ' + r.error.message; return; }
    if (articleFromForm) {  // the draft it answered is not needed: no ticket was filed
      await send('discard_draft', { form: 'new_ticket' });
      $('title').value = '';
      $('description').value = '';
      $('suggestions').hidden = true;
      $('draft-state').textContent = '';
    }
    $('article-message').textContent = articleFromForm ? 'Glad that helped. Your draft was discarded; no ticket was filed.'
      : 'Glad that helped. Thanks for letting us know.';
  });
  $('article-close').addEventListener('click', () => { $('article').hidden = true; $('title').focus(); });

  // [SECTION] my tickets and one ticket
  async function refreshTickets() {
    const r = await send('list_tickets', { sort: 'updated', limit: 200 });
    if (!r.ok) return;
    const rows = r.result.rows || [];
    $('no-tickets').hidden = rows.length > 0;
    $('ticket-rows').replaceChildren(...rows.map((row) => {
      const tr = document.createElement('tr');
      const link = document.createElement('a');
      link.href = '#ticket';
      link.textContent = row.title;
      link.addEventListener('click', (e) => { e.preventDefault(); openTicket(row.id); });
      const cells = [number(row.number), null, STATUS[row.status] || row.status || ''];
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        if (i === 1) {
          const state = document.createElement('div');
          state.className = 'muted delivery';
          state.textContent = delivery(row.sync);
          td.append(link, state);
        } else td.textContent = text;
        tr.append(td);
      });
      return tr;
    }));
  }
  async function openTicket(id) {
    openTicketId = id;
    await refreshTicket();
    $('ticket').hidden = false;
    $('ticket').focus();
  }
  async function refreshTicket() {
    if (!openTicketId) return;
    const r = await send('get_ticket', { id: openTicketId });
    if (!r.ok) { $('ticket-delivery').textContent = r.error.message; return; }
    const t = r.result.ticket || {};
    $('ticket-heading').textContent = (Number.isInteger(t.number) ? `#${t.number} ` : '') + (t.title || '');
    $('ticket-facts').textContent = [STATUS[t.status] || t.status, PRIORITY[t.priority] || 'Not prioritised yet',
      'filed ' + when(t.created_ms), Number.isInteger(t.response_due_ms) ? 'expected response by ' + when(t.response_due_ms) : '']
      .filter(Boolean).join(' · ');
    $('ticket-delivery').textContent = delivery(t.sync);
    $('ticket-description').textContent = t.description || '';
    const me = (status && status.sync && status.sync.user_id) || '';
    $('conversation').replaceChildren(...(r.result.comments || []).map((c) => {
      const li = document.createElement('li');
      const who = c.author === me ? 'You' : c.kind === 'system_event' ? 'Help desk (automatic)' : 'Help desk';
      li.textContent = `${who} · ${when(c.posted_ms)}: ${c.body}`;
      if (c.kind === 'system_event') li.className = 'muted';
      return li;
    }));
  }
  $('reply-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = $('reply').value.trim();
    if (!body) { $('reply-message').textContent = 'Write a reply first.'; return; }
    const r = await send('add_comment', { ticket_id: openTicketId, body });
    $('reply-message').textContent = r.ok ? 'Reply saved on this device.' : 'The reply could not be saved: ' + r.error.message;
    if (r.ok) $('reply').value = '';
    refreshTicket();
  });
  $('close-ticket').addEventListener('click', () => { openTicketId = ''; $('ticket').hidden = true; $('my-tickets').focus(); });

  // [SECTION] start
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js').catch(() => {});
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  refreshStatus();
  setInterval(refreshStatus, 1000);
  loadForm();
  refreshTickets();
  searchArticles();
  window.lifebuoySimple = { send };  // for the browser tests' checks, like window.lifebuoy.snapshot
})();
