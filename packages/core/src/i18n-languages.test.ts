// The provider's `lang` drives the messages and every Intl formatter of the elements inside it, loads the
// language's catalogue chunk on first use, re-renders at run time, falls back to English text AND English formats
// for a language without a catalogue, and lays Arabic out right-to-left.
import { expect, fixture, html } from '@open-wc/testing';
import { DossierElement, define } from './dossier-element.js';
import './dossier-provider.js';
import type { DossierProvider } from './dossier-provider.js';
import { formatBytes, formatDate, formatRelative } from './format.js';
import { getLocale, plural, setLocale, t } from './i18n.js';
import { until } from './testing/fixtures.js';

const DAY = 86_400_000;
const AT = Date.UTC(2026, 11, 2, 12);

class LangProbe extends DossierElement {
  protected override render() {
    return html`<p>${t('state.loading')}</p>
      <p>${plural('time.days', 3)}</p>
      <p>${formatDate(AT)}</p>
      <p>${formatRelative(AT - 2 * DAY, AT)}</p>
      <p>${formatBytes(1536)}</p>`;
  }
}
define('lang-probe', LangProbe);

const lines = (el: Element) => [...el.shadowRoot!.querySelectorAll('p')].map((p) => p.textContent);

describe('lang on <dossier-provider>', () => {
  afterEach(() => setLocale('en'));

  it('shows German messages and German formats, and switches to French at run time', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider lang="de"><lang-probe></lang-probe></dossier-provider>`);
    const probe = provider.querySelector('lang-probe')!;
    await until(() => lines(probe)[0] === 'Wird geladen…', 'German text');
    expect(lines(probe)).to.deep.equal(['Wird geladen…', '3 Tage', '02.12.2026', 'vorgestern', '1,5 KB']);

    provider.lang = 'fr';
    await until(() => lines(probe)[0] === 'Chargement…', 'French text');
    expect(lines(probe)).to.deep.equal(['Chargement…', '3 jours', '2 déc. 2026', 'avant-hier', '1,5 KB']);
    expect(provider.dir).to.equal('');
  });

  it('reads a regional tag through its language: es-MX', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider lang="es-MX"><lang-probe></lang-probe></dossier-provider>`);
    const probe = provider.querySelector('lang-probe')!;
    await until(() => lines(probe)[0] === 'Cargando…', 'Spanish text');
    expect(getLocale()).to.equal('es-MX');
    expect(lines(probe)[1]).to.equal('3 días');
  });

  it('falls back to English text and English formats for a language with no catalogue, never a mix', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider lang="de"><lang-probe></lang-probe></dossier-provider>`);
    const probe = provider.querySelector('lang-probe')!;
    await until(() => lines(probe)[0] === 'Wird geladen…', 'German first');
    provider.lang = 'ja';
    await until(() => lines(probe)[0] === 'Loading…', 'English text');
    expect(getLocale()).to.equal('en');
    expect(lines(probe)).to.deep.equal(['Loading…', '3 days', 'Dec 2, 2026', '2 days ago', '1.5 KB']);
    provider.lang = 'not a language!';
    await until(() => getLocale() === 'en' && lines(probe)[0] === 'Loading…', 'English for garbage');
  });

  it('lays Arabic out right-to-left, with Arabic plural forms, and back to left-to-right', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider lang="ar"><lang-probe></lang-probe></dossier-provider>`);
    const probe = provider.querySelector('lang-probe')!;
    await until(() => lines(probe)[0] === 'جارٍ التحميل…', 'Arabic text');
    expect(provider.dir).to.equal('rtl');
    expect(getComputedStyle(probe).direction).to.equal('rtl');
    expect(getComputedStyle(probe.shadowRoot!.querySelector('p')!).direction).to.equal('rtl');
    const n = (x: number) => new Intl.NumberFormat('ar').format(x);
    expect([0, 1, 2, 3, 11, 100].map((c) => plural('time.days', c))).to.deep.equal([
      `${n(0)} يوم`, 'يوم واحد', 'يومان', `${n(3)} أيام`, `${n(11)} يومًا`, `${n(100)} يوم`,
    ]);
    provider.lang = 'en';
    await until(() => lines(probe)[0] === 'Loading…', 'English again');
    expect(provider.hasAttribute('dir') && provider.dir !== '').to.equal(false);
    expect(getComputedStyle(probe).direction).to.equal('ltr');
  });

  it('keeps a dir the host set itself', async () => {
    const provider = await fixture<DossierProvider>(html`<dossier-provider lang="ar" dir="ltr"><lang-probe></lang-probe></dossier-provider>`);
    const probe = provider.querySelector('lang-probe')!;
    await until(() => lines(probe)[0] === 'جارٍ التحميل…', 'Arabic text');
    expect(provider.dir).to.equal('ltr');
  });

  it('defaults to the page’s <html lang>', async () => {
    document.documentElement.lang = 'de';
    try {
      const provider = await fixture<DossierProvider>(html`<dossier-provider><lang-probe></lang-probe></dossier-provider>`);
      const probe = provider.querySelector('lang-probe')!;
      await until(() => lines(probe)[0] === 'Wird geladen…', 'German from <html lang>');
    } finally {
      document.documentElement.lang = '';
    }
  });
});
