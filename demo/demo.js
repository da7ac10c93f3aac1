// The host page's own code: a simple contact list next to <contact-record>. It calls the Dossier API
// with the same widget token the provider uses, like any host could.
const provider = document.getElementById('provider');
const record = document.getElementById('record');
const list = document.getElementById('contacts');
const search = document.getElementById('search');
const more = document.getElementById('more');
const roleSelect = document.getElementById('role');
const themeSelect = document.getElementById('theme');

let role = new URLSearchParams(location.search).get('role') ?? 'owner';
roleSelect.value = role;
provider.setAttribute('token-url', `/demo/token?role=${role}`);
let token = null;
let cursor = null;
let ids = [];

async function getToken() {
  if (!token || token.expiresAt - Date.now() < 60_000) {
    const res = await fetch(`/demo/token?role=${role}`, { method: 'POST' });
    token = await res.json();
  }
  return token.token;
}

async function load(reset) {
  if (reset) {
    cursor = null;
    ids = [];
    list.replaceChildren();
  }
  const params = new URLSearchParams({ limit: '50' });
  if (search.value.trim()) params.set('q', search.value.trim());
  if (cursor) params.set('cursor', cursor);
  const res = await fetch(`/api/v1/contacts?${params}`, { headers: { authorization: `Bearer ${await getToken()}` } });
  const page = await res.json();
  for (const c of page.items) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.className = 'contact';
    button.dataset.id = c.id;
    button.textContent = c.name || '(no name)';
    const small = document.createElement('small');
    small.textContent = c.emails.find((e) => e.primary)?.value ?? c.phones.find((p) => p.primary)?.value ?? '';
    button.append(small);
    button.addEventListener('click', () => open(c.id));
    li.append(button);
    list.append(li);
    ids.push(c.id);
  }
  cursor = page.nextCursor;
  more.hidden = !cursor;
  record.contactIds = ids;
  if (reset && ids[0] && !record.contactId) open(ids[0]);
}

function open(id) {
  record.contactId = id;
  for (const b of list.querySelectorAll('button.contact')) b.setAttribute('aria-current', String(b.dataset.id === id));
}

// The record walks the list with its arrows; keep the list's highlight in step.
record.addEventListener('contact-navigate', (e) => open(e.detail.id));
record.addEventListener('contact-change', (e) => {
  const button = list.querySelector(`button[data-id="${e.detail.contact.id}"]`);
  if (button) button.firstChild.textContent = e.detail.contact.name || '(no name)';
});
record.addEventListener('dossier-error', (e) => console.warn('[host] Dossier reported:', e.detail.action, e.detail.error.message));

let debounce;
search.addEventListener('input', () => {
  clearTimeout(debounce);
  debounce = setTimeout(() => load(true), 200);
});
more.addEventListener('click', () => load(false));
roleSelect.addEventListener('change', () => {
  role = roleSelect.value;
  token = null;
  history.replaceState(null, '', `?role=${role}`);
  provider.setAttribute('token-url', `/demo/token?role=${role}`);
  const current = record.contactId;
  load(true).then(() => current && open(current));
});
themeSelect.addEventListener('change', () => {
  provider.setAttribute('theme', themeSelect.value);
  document.body.classList.toggle('dark', themeSelect.value === 'dark' || (themeSelect.value === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches));
});

load(true);

// The seeded share link (email gate with a one-time code): read the code in the Dev inbox.
fetch('/demo/share-link')
  .then((r) => (r.ok ? r.json() : null))
  .then((link) => link && document.getElementById('share-link').setAttribute('href', link.path));
