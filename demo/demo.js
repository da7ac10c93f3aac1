// The host page's own code: <contact-table> next to <contact-record>. Opening a row shows it in the record;
// the record's previous/next arrows walk the table's current result (the table publishes its ids).
const provider = document.getElementById('provider');
const record = document.getElementById('record');
const table = document.getElementById('table');
const roleSelect = document.getElementById('role');
const themeSelect = document.getElementById('theme');
const langSelect = document.getElementById('lang');

const role = new URLSearchParams(location.search).get('role') ?? 'owner';
roleSelect.value = role;
provider.setAttribute('token-url', `/demo/token?role=${role}`);
// The widgets' language (messages, dates, numbers; Arabic right-to-left): the provider's `lang`, here from ?lang=.
langSelect.value = new URLSearchParams(location.search).get('lang') ?? 'en';
provider.setAttribute('lang', langSelect.value);
langSelect.addEventListener('change', () => provider.setAttribute('lang', langSelect.value));

table.addEventListener('contact-open', (e) => {
  record.contactId = e.detail.id;
  // "View messages" asks for the record's Conversations tab.
  if (e.detail.tab) record.tab = e.detail.tab;
});
// A contact card in the record's Associations tab asks to open that contact: the record shows it, the table marks it.
record.addEventListener('contact-open', (e) => {
  record.contactId = e.detail.id;
  table.activeId = e.detail.id;
});
// Companies and custom object records are the host's to show (the demo only logs them).
record.addEventListener('association-open', (e) => {
  if (e.detail.kind !== 'contact') console.info('[host] open', e.detail.kind, e.detail.id);
});
// The table marks the contact the record shows (and scrolls to it) as the record's arrows walk the list.
record.addEventListener('contact-navigate', (e) => {
  if (!e.defaultPrevented) table.activeId = e.detail.id;
});
// The record's opportunity cards (and its Contact tab's list) ask the host to open one: a host would show its deal page.
record.addEventListener('opportunity-open', (e) => console.info('[host] open opportunity:', e.detail.id));
table.addEventListener('contact-view-change', (e) => console.info('[host] view:', e.detail));
for (const el of [table, record]) {
  el.addEventListener('dossier-error', (e) => console.warn('[host] Dossier reported:', e.detail.action, e.detail.error.message));
}

roleSelect.addEventListener('change', () => {
  history.replaceState(null, '', `?role=${roleSelect.value}`);
  provider.setAttribute('token-url', `/demo/token?role=${roleSelect.value}`);
});
themeSelect.addEventListener('change', () => {
  provider.setAttribute('theme', themeSelect.value);
  document.body.classList.toggle('dark', themeSelect.value === 'dark' || (themeSelect.value === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches));
});

// "Wide record" (remembered): the record beside a narrower list, wide enough for its two panels.
const wide = document.getElementById('wide');
const setWide = (on) => {
  wide.checked = on;
  document.body.classList.toggle('wide-record', on);
  localStorage.setItem('dossier-demo-wide', on ? '1' : '');
};
setWide(localStorage.getItem('dossier-demo-wide') === '1');
wide.addEventListener('change', () => setWide(wide.checked));

// Arrive on a record rather than an empty panel: open the newest contact the signed-in member can see.
async function openFirstContact() {
  if (record.contactId) return;
  const { token } = await (await fetch(`/demo/token?role=${role}`, { method: 'POST' })).json();
  const res = await fetch('/api/v1/contacts/query', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ limit: 1, count: false }),
  });
  const page = await res.json();
  if (page.items?.[0] && !record.contactId) record.contactId = table.activeId = page.items[0].id;
}
openFirstContact().catch((err) => console.warn('[host] could not open a first contact:', err));

// The seeded share link (email gate with a one-time code): read the code in the Dev inbox.
fetch('/demo/share-link')
  .then((r) => (r.ok ? r.json() : null))
  .then((link) => link && document.getElementById('share-link').setAttribute('href', link.path));
