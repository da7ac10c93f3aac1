export interface StartedPostgres {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  port: number;
  dir: string;
  stop(): void;
}
export declare function ensurePostgres(): string;
export declare function startPostgres(opts?: { fast?: boolean; quiet?: boolean; dir?: string | null }): Promise<StartedPostgres>;
