import { html } from '@open-wc/testing';
import { unwrap } from '../../../core/src/api.js';
import { textFile, uploadDocuments } from '../../../core/src/testing/documents.js';
import { clientFor, createContact, inProvider, until } from '../../../core/src/testing/fixtures.js';
import '../contact-record/contact-record.js';
import './contact-documents.js';
import type { ContactDocuments } from './contact-documents.js';

const names = (el: Element) => [...el.shadowRoot!.querySelectorAll('.doc .name')].map((b) => b.textContent!.trim()).sort();

describe('<contact-documents> and merges made elsewhere', () => {
  it('lists the documents a merge brings in, and lets them go on unmerge, without a reload (beside a record)', async () => {
    const survivor = await createContact({ firstName: 'Keeps' });
    const merged = await createContact({ firstName: 'Brings' });
    await uploadDocuments(survivor.id, [textFile('Own.txt', 'own')]);
    await uploadDocuments(merged.id, [textFile('Brought.txt', 'brought')]);
    // As in the demo: the record opens the provider's live stream, the documents widget hears it.
    const el = await inProvider<ContactDocuments>(html`<contact-documents contact-id=${survivor.id}></contact-documents><contact-record contact-id=${survivor.id}></contact-record>`);
    await until(() => names(el).length === 1 && (el as unknown as { dossier: { live: boolean } }).dossier.live, 'the list and the live stream');
    const api = clientFor('owner').api.api.v1;
    const { mergeId } = (await unwrap(api.contacts.merge.$post({ json: { survivorId: survivor.id, mergedIds: [merged.id] } as never }))) as { mergeId: string };
    await until(() => names(el).join() === 'Brought.txt,Own.txt', 'the merged contact’s document listed');
    await unwrap(api.merges[':id'].unmerge.$post({ param: { id: mergeId }, json: {} }));
    await until(() => names(el).join() === 'Own.txt', 'back with its contact after the unmerge');
  });
});
