// The profile picture's button and crop dialog (lazy: loaded with the record's panels, and the dialog on first use).
import { addMessages } from '../../../core/src/i18n.js';

addMessages('en', {
  'avatar.change': 'Change the profile picture of {name}',
  'avatar.title': 'Profile picture',
  'avatar.choose': 'Choose a picture…',
  'avatar.chooseOther': 'Choose another',
  'avatar.dropHint': 'or drop one here · PNG, JPEG, WebP or GIF',
  'avatar.cropArea': 'Crop area',
  'avatar.cropHelp': 'Drag or use the arrow keys to move the picture; scroll, or press + and −, to zoom.',
  'avatar.zoom': 'Zoom',
  'avatar.preview': 'Preview',
  'avatar.save': 'Save',
  'avatar.saving': 'Saving…',
  'avatar.remove': 'Remove picture',
  'avatar.removing': 'Removing…',
  'avatar.notImage': '“{name}” is not a PNG, JPEG, WebP or GIF picture.',
  'avatar.unreadable': '“{name}” could not be read as a picture.',
  'avatar.saveFailed': 'The picture was not saved: {message}',
  'avatar.removeFailed': 'The picture was not removed: {message}',
});
