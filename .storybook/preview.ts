import { setCustomElementsManifest } from '@storybook/web-components';
import type { Preview } from '@storybook/web-components-vite';
// Generated from the elements' JSDoc by `npm run analyze` (run before Storybook starts or builds).
import manifest from '../custom-elements.json';
import { applyStoryTheme } from './theme.js';

setCustomElementsManifest(manifest);

const preview: Preview = {
  tags: ['autodocs'],
  globalTypes: {
    theme: { description: 'Widget theme', toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark'], dynamicTitle: true } },
  },
  initialGlobals: { theme: 'light' },
  decorators: [
    (story, { globals }) => {
      applyStoryTheme(globals.theme);
      return story();
    },
  ],
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};
export default preview;
