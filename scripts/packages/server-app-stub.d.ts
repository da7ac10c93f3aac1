// The server's app type, for the published declarations only (tsconfig.types.json): the widgets' typed RPC client is
// internal (pack.mjs writes it as `unknown`), so the packages' .d.ts do not carry the server's routes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AppType = any;
