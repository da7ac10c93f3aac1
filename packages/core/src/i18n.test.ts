// The message catalogue, every widget's messages loaded (lazy parts included): a count is never glued to a noun
// outside a plural message, and plural() picks the form Intl.PluralRules gives for the count.
import { expect } from '@open-wc/testing';
import '../../widgets/src/index.js';
import '../../widgets/src/contact-table/table-actions.js';
import '../../widgets/src/contact-table/filter-drawer.js';
import '../../widgets/src/contact-table/column-picker.js';
import '../../widgets/src/contact-table/merge-dialog.js';
import '../../widgets/src/contact-table/import-wizard.js';
import '../../widgets/src/contact-table/table-dialogs.js';
import '../../widgets/src/contact-documents/document-preview.js';
import '../../widgets/src/contact-documents/document-upload.js';
import '../../widgets/src/contact-documents/document-bin.js';
import '../../widgets/src/contact-documents/share/share-link-dialog.js';
import '../../widgets/src/share-viewer/messages.js';
import '../../widgets/src/contact-record/audit-messages.js';
import '../../widgets/src/contact-record/avatar-messages.js';
import '../../widgets/src/contact-record/general-tab.js';
import '../../widgets/src/contact-record/additional-tab.js';
import '../../widgets/src/contact-record/dnd-tab.js';
import { addMessages, getLocale, messagesOf, plural, setLocale } from './i18n.js';

const PLURAL_FORM = /\.(zero|one|two|few|many|other)$/;
/** A placeholder followed by a plural noun ("{n} contacts", "{days} days"): a count that needs a plural message. */
const COUNT_THEN_NOUN = /\{\w+\}\s+(?!(?:is|was|has|its|this|his|as|us|less)\b)\p{L}+s\b/u;

describe('message catalogue', () => {
  const en = messagesOf('en');

  it('has every widget’s messages loaded', () => {
    for (const key of ['table.count.one', 'record.delete.message', 'docs.add', 'shareDialog.views', 'share.gate.title', 'audit.contact.created', 'bin.left.one']) {
      expect(en[key], key).to.be.a('string');
    }
  });

  it('puts every count in front of a noun through a plural message', () => {
    const glued = Object.entries(en).filter(([key, text]) => !PLURAL_FORM.test(key) && COUNT_THEN_NOUN.test(text));
    expect(glued.map(([key, text]) => `${key}: ${text}`)).to.deep.equal([]);
  });

  it('uses {count} only in plural messages, and gives each plural a .other form', () => {
    expect(Object.keys(en).filter((key) => en[key]!.includes('{count}') && !PLURAL_FORM.test(key))).to.deep.equal([]);
    const bases = new Set(Object.keys(en).filter((key) => PLURAL_FORM.test(key)).map((key) => key.replace(PLURAL_FORM, '')));
    expect([...bases].filter((base) => en[`${base}.other`] === undefined)).to.deep.equal([]);
  });
});

describe('plural()', () => {
  it('picks the form for the count and formats it for the locale', () => {
    expect(plural('time.days', 1)).to.equal('1 day');
    expect(plural('time.days', 0)).to.equal('0 days');
    expect(plural('time.days', 30)).to.equal('30 days');
    expect(plural('time.days', 1500)).to.equal('1,500 days');
    expect(plural('shareDialog.viewCount', 1)).to.equal('1 view');
    expect(plural('table.bulk.deleteMessage', 1, { period: plural('time.days', 1) })).to.equal('It moves to the restore bin and can be restored for 1 day. After that it is removed for good.');
  });

  it('follows the language’s own plural rules (Polish: one, few, many)', () => {
    const before = getLocale();
    addMessages('pl', { 'test.files.one': '{count} plik', 'test.files.few': '{count} pliki', 'test.files.many': '{count} plików', 'test.files.other': '{count} pliku' });
    setLocale('pl');
    try {
      expect([1, 3, 5, 22].map((n) => plural('test.files', n))).to.deep.equal(['1 plik', '3 pliki', '5 plików', '22 pliki']);
    } finally {
      setLocale(before);
    }
  });
});
