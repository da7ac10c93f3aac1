// Helpers for component tests: everything goes to the real server mounted in the test runner.
import { fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { unwrap } from '../api.js';
import { DossierClient } from '../client.js';
import '../dossier-provider.js';
import type { DossierProvider } from '../dossier-provider.js';
import { TokenSource } from '../token-source.js';
import type { ContactJson } from '../types.js';

export type Role = 'owner' | 'manager' | 'agent';

/** A token from the test backend (it plays the host backend holding the secret key). */
export async function tokenFor(role: Role = 'owner', opts: { externalId?: string; restricted?: boolean; name?: string } = {}) {
  const params = new URLSearchParams({ role, ...(opts.externalId && { externalId: opts.externalId }), ...(opts.restricted && { restricted: '1' }), ...(opts.name && { name: opts.name }) });
  const res = await fetch(`/test/token?${params}`, { method: 'POST' });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; expiresAt: number; memberId: string };
}

/** An API client acting as a member, for arranging data before a test. */
export function clientFor(role: Role = 'owner', opts: Parameters<typeof tokenFor>[1] = {}) {
  return new DossierClient(location.origin, new TokenSource(() => tokenFor(role, opts)));
}

export async function createContact(body: Record<string, unknown>, role: Role = 'owner'): Promise<ContactJson> {
  const client = clientFor(role);
  return (await unwrap(client.api.api.v1.contacts.$post({ json: body as never }))) as ContactJson;
}

/** Saves a test-provider card on a contact as the widget does: a setup intent, the number to the provider's endpoint, its id to Dossier. */
export async function addTestCard(contactId: string, number = '4242424242424242') {
  const cards = clientFor('owner').api.api.v1.contacts[':id'].payments.cards;
  const setup = await unwrap(cards.setup.$post({ param: { id: contactId }, json: {} }));
  if (setup.collection.provider !== 'test') throw new Error('The browser tests run with the test provider.');
  const res = await fetch(setup.collection.tokenizeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret: setup.clientSecret, number, expMonth: 12, expYear: 2034, cvc: '123' }) });
  const { paymentMethodId } = (await res.json()) as { paymentMethodId: string };
  return unwrap(cards.$post({ param: { id: contactId }, json: { setupIntentId: setup.setupIntentId, paymentMethodId } }));
}

/** Creates a custom field once per test run (the database is shared by the run). */
export async function ensureField(field: { key: string; label: string; type: string; options?: string[] }) {
  const client = clientFor('owner');
  const existing = (await client.customFields(true)).find((f) => f.key === field.key);
  if (existing) return existing;
  return unwrap(client.api.api.v1['custom-fields'].$post({ json: field as never }));
}

/** Renders `content` inside a provider connected as `role`. Returns the first element child. */
export async function inProvider<T extends Element>(content: TemplateResult, role: Role = 'owner', opts: Parameters<typeof tokenFor>[1] = {}) {
  const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${() => tokenFor(role, opts)}>${content}</dossier-provider>`);
  return provider.firstElementChild as T;
}

/** Waits until `check` passes (polling), for UI that settles after network calls. */
export async function until(check: () => unknown, message = 'condition', timeout = 5000) {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeout) throw new Error(`Timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Types `value` into a field as a user would: the value, then an input event the element listens to. */
export function type(field: HTMLInputElement | HTMLTextAreaElement, value: string) {
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}
/** Picks `value` in a select as a user would: the value, then a change event. */
export function choose(select: HTMLSelectElement | HTMLInputElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}
