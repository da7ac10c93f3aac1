// API shapes, imported from the server as types only (no server code reaches the bundle).
export type { ContactJson, Address, Attribution } from '../../../server/src/domain/contacts.js';
export type { AuditEventJson, Changes } from '../../../server/src/domain/audit.js';
export type { CustomFieldJson } from '../../../server/src/routes/custom-fields.js';
export type { MemberJson } from '../../../server/src/routes/members.js';
export type { Permission } from '../../../server/src/domain/permissions.js';
export type { DocumentJson } from '../../../server/src/domain/documents.js';
export type { ContactItemStreamEvent, ContactStreamEvent } from '../../../server/src/routes/contact-events.js';
export type { TeamJson } from '../../../server/src/domain/teams.js';
export type { NoteJson } from '../../../server/src/domain/notes.js';
export type { TaskJson } from '../../../server/src/domain/tasks.js';
export type { OpportunityJson } from '../../../server/src/domain/opportunities/opportunities.js';
export type { PipelineJson } from '../../../server/src/domain/opportunities/pipelines.js';
export type { AppointmentJson } from '../../../server/src/domain/appointments/appointments.js';
export type { CalendarJson } from '../../../server/src/domain/appointments/calendars.js';
export type { EnrolmentJson, WorkflowJson } from '../../../server/src/domain/workflows/workflows.js';
export type { PortalGrantJson, PortalItemJson } from '../../../server/src/domain/workflows/portal.js';
export type { ActivityJson, ActivityGroup } from '../../../server/src/domain/activity.js';
export type { ConversationJson, MessageJson } from '../../../server/src/domain/conversations.js';
export type { TouchJson } from '../../../server/src/domain/attribution.js';
export type { AssociationJson } from '../../../server/src/domain/associations/associations.js';
export type { AssociationTypeJson } from '../../../server/src/domain/associations/association-types.js';
export type { CompanyJson } from '../../../server/src/domain/associations/companies.js';
export type { ObjectRecordJson, ObjectTypeJson } from '../../../server/src/domain/associations/objects.js';
export type { TargetKindName, TargetSummary } from '../../../server/src/domain/associations/kinds.js';

import type { Permission } from '../../../server/src/domain/permissions.js';

export interface Session {
  workspace: { id: string; name: string; defaultRegion: string; restoreDays: number };
  member: { id: string; name: string; email: string; role: 'owner' | 'manager' | 'agent'; restrictToAssigned: boolean } | null;
  permissions: Permission[];
}
