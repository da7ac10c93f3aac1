import { DossierEvent } from '../../../core/src/events.js';

/** The viewer passed the gate (or opened an ungated link) and the document is showing. */
export class ShareOpenEvent extends DossierEvent<{ document: { name: string; kind: string; size: number; mediaType: string }; viewId: string }> {
  static readonly type = 'share-open';
  constructor(detail: ShareOpenEvent['detail']) {
    super(ShareOpenEvent.type, detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'share-open': ShareOpenEvent;
  }
}
