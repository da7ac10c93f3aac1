import { expect } from '@open-wc/testing';
import { dossierContext, PROTOCOL, registerVersion, themeContext, VERSION } from './context.js';

// Elements of two builds on one page (an old cached entry and a new one) must find each other's provider: the
// context keys are global symbols named by protocol version, and a second version on the page is reported once.
describe('contexts across bundles', () => {
  it('keys the contexts with Symbol.for and the protocol version', () => {
    expect(dossierContext).to.equal(Symbol.for(`dossier/client@${PROTOCOL}`));
    expect(themeContext).to.equal(Symbol.for(`dossier/theme@${PROTOCOL}`));
  });

  it('warns once in the console when a bundle of another version registers', () => {
    const warned: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warned.push(args);
    try {
      registerVersion(VERSION);
      expect(warned).to.have.length(0);
      registerVersion('0.0.1-other');
      registerVersion('0.0.2-other');
      registerVersion('0.0.1-other');
    } finally {
      console.warn = warn;
    }
    expect(warned).to.have.length(1);
    expect(String(warned[0]![0])).to.contain('0.0.1-other');
  });
});
