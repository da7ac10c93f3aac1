// The Documents panel under the record: <contact-documents> follows whichever contact <contact-record> shows
// (the record reflects its `contact-id` attribute), so this works with any list that opens contacts.
const record = document.getElementById('record');
const documents = document.getElementById('documents');

function follow() {
  const id = record.getAttribute('contact-id');
  if (id && documents.contactId !== id) documents.contactId = id;
}
new MutationObserver(follow).observe(record, { attributes: true, attributeFilter: ['contact-id'] });
follow();

documents.addEventListener('dossier-error', (e) => console.warn('[host] Dossier reported:', e.detail.action, e.detail.error.message));
documents.addEventListener('document-upload', (e) => console.info('[host] uploaded', e.detail.documentIds.length, 'document(s)'));
