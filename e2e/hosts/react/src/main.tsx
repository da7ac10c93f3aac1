// A React 19 host of the packed packages: typed props (an object `sort` passed inline, as React code does) and typed
// `on…` event props, generated from the custom elements manifest.
import type { ContactOpenEvent } from '@dossier-crm/elements';
import { ContactRecord, ContactTable, DossierProvider } from '@dossier-crm/react';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  const [opened, setOpened] = useState('');
  const [renders, setRenders] = useState(0);
  const open = (e: ContactOpenEvent) => setOpened(e.detail.id);
  return (
    <>
      <p id="opened">{opened}</p>
      <button id="render-again" onClick={() => setRenders(renders + 1)}>Render again ({renders})</button>
      <DossierProvider tokenUrl="/demo/token?role=owner">
        <ContactTable sort={{ field: 'createdAt', dir: 'desc' }} columns={['name', 'email']} onContactOpen={open} />
        {renders < 0 ? (
          // Never rendered: only for the type check (the types know `sort` is { field, dir }, not a string).
          // @ts-expect-error
          <ContactTable sort="name" />
        ) : null}
        {opened ? <ContactRecord contactId={opened} onContactChange={(e) => console.log(e.detail.changed.join())} /> : null}
      </DossierProvider>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
