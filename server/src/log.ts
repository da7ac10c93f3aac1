// The server's log: one line per event, as JSON (`DOSSIER_LOG_FORMAT=json`, the default of `dossier serve`) for log
// collectors, or as text for people (`[dossier] …`, the demo's default). Lines written while a request is handled
// carry its request id, found through AsyncLocalStorage, so nothing has to pass it down by hand.
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogFormat = 'json' | 'text';
type Level = 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

const context = new AsyncLocalStorage<{ requestId: string }>();
let format: LogFormat = 'text';
// Lines wait for the end of the event loop's turn and go out in one write per stream: on Linux a write to a pipe
// (where a container's or a supervisor's logs go) is synchronous, one system call per line, and a line per request
// cost the request about as much as its own database work under load. Whatever is pending when the process exits
// is written then.
const pending = { out: '', err: '' };
let flushing = false;
function flushLog() {
  flushing = false;
  const { out, err } = pending;
  pending.out = pending.err = '';
  if (out) process.stdout.write(out);
  if (err) process.stderr.write(err);
}
process.on('exit', flushLog);

/** Info to stdout, warnings and errors to stderr, written once per turn of the event loop. */
export const defaultLogWrite = (line: string, level: Level): void => {
  if (level === 'info') pending.out += `${line}\n`;
  else pending.err += `${line}\n`;
  if (!flushing) {
    flushing = true;
    setImmediate(flushLog);
  }
};
let write = defaultLogWrite;

/** Sets the format (and, for tests, where lines go). */
export function configureLog(opts: { format?: LogFormat; write?: (line: string, level: Level) => void }) {
  if (opts.format) format = opts.format;
  if (opts.write) write = opts.write;
}

export function logFormatFromEnv(value: string | undefined, fallback: LogFormat): LogFormat {
  return value === 'json' || value === 'text' ? value : fallback;
}

/** Runs `fn` with a request id that every log line inside it carries. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return context.run({ requestId }, fn);
}

export const currentRequestId = () => context.getStore()?.requestId;

const errorFields = (err: unknown): Fields =>
  err instanceof Error ? { error: err.message, stack: err.stack } : err === undefined ? {} : { error: String(err) };

function emit(level: Level, msg: string, fields: Fields = {}) {
  const requestId = currentRequestId();
  if (format === 'json') {
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...(requestId ? { requestId } : {}), ...fields }), level);
    return;
  }
  const { stack, ...rest } = fields;
  const extra = Object.entries({ ...rest, ...(requestId ? { requestId } : {}) })
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  write(`[dossier] ${msg}${extra ? ` (${extra})` : ''}${level === 'error' && typeof stack === 'string' ? `\n${stack}` : ''}`, level);
}

export const log = {
  info: (msg: string, fields?: Fields) => emit('info', msg, fields),
  warn: (msg: string, fields?: Fields) => emit('warn', msg, fields),
  /** `err` adds its message (and, in text, its stack) to the line. */
  error: (msg: string, err?: unknown, fields?: Fields) => emit('error', msg, { ...fields, ...errorFields(err) }),
};
