import { setCustomElementsManifest } from '@storybook/web-components';
import type { Preview } from '@storybook/web-components-vite';
// Generated from the elements' JSDoc by `npm run analyze` (run before Storybook starts or builds).
import manifest from '../custom-elements.json';
import { LANGUAGES, applyStoryLanguage } from './language.js';
import { applyStoryTheme } from './theme.js';

setCustomElementsManifest(manifest);

const preview: Preview = {
  tags: ['autodocs'],
  globalTypes: {
    theme: { description: 'Widget theme', toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark'], dynamicTitle: true } },
    lang: { description: 'Widget language and direction', toolbar: { title: 'Language', icon: 'globe', items: LANGUAGES, dynamicTitle: true } },
  },
  initialGlobals: { theme: 'light', lang: 'en' },
  decorators: [
    (story, { globals }) => {
      applyStoryTheme(globals.theme);
      applyStoryLanguage(globals.lang);
      return story();
    },
  ],
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};
export default preview;
