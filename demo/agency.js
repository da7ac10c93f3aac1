// The agency's host page: <contact-table organization> lists the contacts of every workspace of the organization
// session; a row opens in <contact-record> with the membership token of the row's own workspace.
const orgProvider = document.getElementById('org-provider');
const recordProvider = document.getElementById('record-provider');
const table = document.getElementById('table');
const record = document.getElementById('record');
const themeSelect = document.getElementById('theme');

/** The latest organization session: { token, expiresAt, memberships: [{ workspaceId, workspaceName, token }] }. */
let session;
orgProvider.getToken = async () => {
  const res = await fetch('/demo/org-session', { method: 'POST' });
  if (!res.ok) throw new Error(`org session: ${res.status}`);
  return (session = await res.json());
};

let recordWorkspace = '';
table.addEventListener('contact-open', (e) => {
  const { id, workspaceId, tab } = e.detail;
  if (workspaceId !== recordWorkspace) {
    recordWorkspace = workspaceId;
    // Read at every refresh: the table's provider renews the session before it expires.
    recordProvider.getToken = async () => {
      const membership = session.memberships.find((m) => m.workspaceId === workspaceId);
      return { token: membership.token, expiresAt: session.expiresAt };
    };
  }
  record.contactId = id;
  if (tab) record.tab = tab;
});
record.addEventListener('contact-navigate', (e) => {
  if (!e.defaultPrevented) table.activeId = e.detail.id;
});
table.addEventListener('contact-view-change', (e) => console.info('[host] view:', e.detail));
for (const el of [table, record]) {
  el.addEventListener('dossier-error', (e) => console.warn('[host] Dossier reported:', e.detail.action, e.detail.error.message));
}
themeSelect.addEventListener('change', () => {
  for (const p of [orgProvider, recordProvider]) p.setAttribute('theme', themeSelect.value);
  document.body.classList.toggle('dark', themeSelect.value === 'dark' || (themeSelect.value === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches));
});
