import type { MemberRow } from '../db/schema.js';

export interface WorkspaceInfo {
  id: string;
  name: string;
  defaultRegion: string;
  allowedOrigins: string[];
  restoreDays: number;
  /** The organization (agency) the workspace belongs to: membership tokens of an org session must name it. */
  organizationId: string | null;
}

/** Who is calling: a member through a widget token, or the host backend through the secret key. */
export type Caller =
  | { kind: 'member'; workspace: WorkspaceInfo; member: MemberRow }
  | { kind: 'api'; workspace: WorkspaceInfo; member: null };

export interface Env {
  Variables: {
    caller: Caller;
  };
}
