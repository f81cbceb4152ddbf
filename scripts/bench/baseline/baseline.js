// The cold-load baseline: the same GET /api/partnerships JSON as the app, the same row DOM.
(async () => {
  const res = await fetch('/api/partnerships', { headers: { accept: 'application/json' } });
  const page = await res.json();
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const n = (x) => x.toLocaleString('en-US');
  const frag = document.createDocumentFragment();
  for (const row of page.items) {
    const tr = el('tr', 'row');
    const th = el('th', 'team');
    th.scope = 'row';
    const a = el('a', 'team-name', row.team.name);
    a.href = `?team=${encodeURIComponent(row.team.id)}`;
    th.append(a, el('span', 'domain', row.team.domain));
    const sso = el('td');
    sso.append(el('span', 'badge', row.sso_enforced ? 'SSO enforced' : 'SSO not enforced'));
    const when = el('td', 'when');
    when.append(row.last_active_at
      ? Object.assign(el('time', null, new Date(row.last_active_at).toLocaleDateString()), { dateTime: row.last_active_at })
      : document.createTextNode('No sign-in yet'));
    tr.append(th, sso, el('td', 'numeric', n(row.partner_count)), el('td', 'numeric', n(row.workspace_count)), when);
    frag.append(tr);
  }
  document.querySelector('tbody').append(frag);
})();
