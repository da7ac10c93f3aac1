// Stands in for hono/dist/utils/cookie.js inside the widgets' bundle (vite.config.ts). Hono's RPC client imports the
// whole cookie module to build a `Cookie` header from `args.cookie`; browsers refuse to send a `Cookie` header set
// by script (a forbidden request header), and the widgets never pass `cookie`, so that code can never run here.
// This keeps the client's one use of it — `serialize(name, value)` — in a few bytes.
export const serialize = (name: string, value: string): string => `${name}=${encodeURIComponent(value)}`;
