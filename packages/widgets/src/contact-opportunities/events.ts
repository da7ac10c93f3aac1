import { DossierEvent } from '../../../core/src/events.js';
import type { OpportunityJson } from '../../../core/src/types.js';

/**
 * The user asked to open an opportunity (its name on a card, or a row of the Contact tab's list). The host decides
 * where to show it; `contactId` is the contact it was opened from.
 */
export class OpportunityOpenEvent extends DossierEvent<{ id: string; contactId: string }> {
  static readonly type = 'opportunity-open';
  constructor(detail: OpportunityOpenEvent['detail']) {
    super(OpportunityOpenEvent.type, detail);
  }
}

/** After an opportunity was created, changed, linked or unlinked here. */
export class OpportunityChangeEvent extends DossierEvent<{ contactId: string; opportunity: OpportunityJson; action: 'created' | 'updated' | 'stage_changed' | 'status_changed' | 'linked' | 'unlinked' }> {
  static readonly type = 'opportunity-change';
  constructor(detail: OpportunityChangeEvent['detail']) {
    super(OpportunityChangeEvent.type, detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'opportunity-open': OpportunityOpenEvent;
    'opportunity-change': OpportunityChangeEvent;
  }
}
