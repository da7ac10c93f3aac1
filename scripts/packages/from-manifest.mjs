// Everything the packages derive from the custom elements manifest (`npm run analyze`), so wrappers and editor data
// never drift from the elements: the public elements (the manifest's custom elements — those with `@element`), their
// host-settable properties and events, the React wrappers (@lit/react), the Vue typings (GlobalComponents), and the
// editors' data (JetBrains web-types, VS Code custom data).

/** The public elements: tag, class, module path, attributes, public properties and events. */
export function publicElements(manifest) {
  const out = [];
  for (const mod of manifest.modules) {
    for (const d of mod.declarations ?? []) {
      if (!d.customElement || !d.tagName) continue;
      const fields = (d.members ?? []).filter((m) => m.kind === 'field' && !m.static && !m.privacy && !m.readonly && !m.name.startsWith('_'));
      out.push({
        tag: d.tagName,
        className: d.name,
        path: mod.path,
        description: d.description ?? '',
        attributes: (d.attributes ?? []).filter((a) => a.name),
        properties: fields.map((f) => ({ name: f.name, type: f.type?.text ?? 'unknown', description: f.description ?? '' })),
        events: [...new Map((d.events ?? []).filter((e) => e.name).map((e) => [e.name, { name: e.name, description: e.description ?? '' }])).values()],
      });
    }
  }
  return out.sort((a, b) => a.tag.localeCompare(b.tag));
}

/** `contact-open` → `onContactOpen` (the React prop @lit/react maps to the DOM event). */
export const reactEventProp = (name) => `on${name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}`;

/** The type of a DOM event by name: the global event map when it lists it (the elements' d.ts add theirs). */
const EVENT_OF = 'type EventOf<K extends string> = K extends keyof HTMLElementEventMap ? HTMLElementEventMap[K] : Event;';

/** React: @dossier-crm/react's index.js and index.d.ts (`entry(el)` is the element's package subpath). */
export function reactWrappers(elements, entry) {
  const js = [`// Generated from custom-elements.json by scripts/packages/from-manifest.mjs. Do not edit.`, `import * as React from 'react';`, `import { createComponent } from '@lit/react';`];
  const dts = [`// Generated from custom-elements.json by scripts/packages/from-manifest.mjs. Do not edit.`, `import type { EventName, ReactWebComponent } from '@lit/react';`];
  for (const el of elements) {
    js.push(`import { ${el.className} as ${el.className}Element } from '${entry(el)}';`);
    dts.push(`import type { ${el.className} as ${el.className}Element } from '${entry(el)}';`);
  }
  dts.push(EVENT_OF);
  for (const el of elements) {
    const events = el.events.map((e) => `    ${reactEventProp(e.name)}: '${e.name}',`);
    js.push(`\n/** <${el.tag}> */\nexport const ${el.className} = createComponent({\n  tagName: '${el.tag}',\n  elementClass: ${el.className}Element,\n  react: React,\n  events: {\n${events.join('\n')}\n  },\n});`);
    const typed = el.events.map((e) => `  /** ${e.description.replace(/\*\//g, '* /')} */\n  ${reactEventProp(e.name)}: EventName<EventOf<'${e.name}'>>;`);
    dts.push(`\n/** <${el.tag}>: ${firstSentence(el.description)} */\nexport declare const ${el.className}: ReactWebComponent<${el.className}Element, {\n${typed.join('\n')}\n}>;`);
  }
  return { js: `${js.join('\n')}\n`, dts: `${dts.join('\n')}\n` };
}

/** Vue: GlobalComponents for vue-tsc / Volar — properties (`:sort.prop`), attributes and `@event` listeners typed. */
export function vueTypes(elements, entry) {
  const lines = [
    `// Generated from custom-elements.json by scripts/packages/from-manifest.mjs. Do not edit.`,
    `// Use: \`import type {} from '@dossier-crm/elements/vue';\` once (e.g. in env.d.ts), and tell Vue these tags are custom`,
    `// elements (compilerOptions.isCustomElement: (tag) => tag.startsWith('contact-') || …).`,
    `import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';`,
    ...elements.map((el) => `import type { ${el.className} } from '${entry(el)}';`),
    EVENT_OF,
    `type Emits<E extends string> = EmitFn<{ [K in E]: (event: EventOf<K>) => void }>;`,
    `/** A custom element as Vue's type checker sees a component (Vue's documented DefineCustomElement pattern). */`,
    `type DefineCustomElement<T extends HTMLElement, P extends keyof T, E extends string> = new () => T & {`,
    `  /** @deprecated for template type checking only */`,
    `  $props: HTMLAttributes & Partial<Pick<T, P>> & PublicProps;`,
    `  /** @deprecated for template type checking only */`,
    `  $emit: Emits<E>;`,
    `};`,
    `declare module 'vue' {`,
    `  interface GlobalComponents {`,
    ...elements.map((el) => `    '${el.tag}': DefineCustomElement<${el.className}, ${union(el.properties.map((p) => p.name))}, ${union(el.events.map((e) => e.name))}>;`),
    `  }`,
    `}`,
    `export {};`,
  ];
  return `${lines.join('\n')}\n`;
}

/** JetBrains IDEs: web-types (`"web-types"` in package.json). */
export function webTypes(elements, name, version) {
  return {
    $schema: 'https://json.schemastore.org/web-types',
    name,
    version,
    'description-markup': 'markdown',
    contributions: {
      html: {
        elements: elements.map((el) => ({
          name: el.tag,
          description: el.description,
          attributes: el.attributes.map((a) => ({ name: a.name, description: a.description ?? '', value: { type: a.type?.text ?? 'string' } })),
          js: {
            properties: el.properties.map((p) => ({ name: p.name, description: p.description, type: p.type })),
            events: el.events.map((e) => ({ name: e.name, description: e.description })),
          },
        })),
      },
    },
  };
}

/** VS Code: HTML custom data (`"html.customData"` in the workspace settings). */
export function vscodeData(elements) {
  return {
    version: 1.1,
    tags: elements.map((el) => ({
      name: el.tag,
      description: el.description,
      attributes: el.attributes.map((a) => ({ name: a.name, description: a.description ?? '' })),
    })),
  };
}

const union = (names) => (names.length ? names.map((n) => `'${n}'`).join(' | ') : 'never');
const firstSentence = (text) => (text.split(/(?<=\.)\s/)[0] ?? '').replace(/\s+/g, ' ').replace(/\*\//g, '* /');
