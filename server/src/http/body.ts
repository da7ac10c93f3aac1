import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context } from 'hono';
import { badRequest } from './errors.js';

export interface RequestBody {
  stream: Readable;
  /**
   * Stops using the body. On a real connection the rest is discarded for a moment (a "lingering close": at
   * most LINGER_BYTES, until LINGER_MS after the answer went out) and then the socket is closed. Closing at once
   * would make the client's TCP stack drop our 413 with a reset while it is still sending.
   */
  stop(): void;
}

const LINGER_BYTES = 8 * 1024 * 1024;
const LINGER_MS = 250;

/**
 * The request body as a Node stream. On @hono/node-server that is the IncomingMessage itself: going through
 * the web ReadableStream and back costs about half the upload throughput. Elsewhere (tests using app.request)
 * the web body is adapted.
 */
export function requestBody(c: Context): RequestBody {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  const incoming = env?.incoming;
  if (incoming && typeof incoming.pipe === 'function' && !incoming.readableDidRead) {
    let stopped = false;
    return {
      stream: incoming,
      stop() {
        if (stopped) return;
        stopped = true;
        incoming.unpipe();
        if (incoming.readableEnded || incoming.destroyed) return;
        // Until the answer is out, read nothing (the client is held by TCP backpressure); then discard briefly.
        incoming.pause();
        const linger = () => {
          let drained = 0;
          const close = () => {
            clearTimeout(timer);
            incoming.off('data', discard);
            if (!incoming.readableEnded) incoming.socket?.destroy();
          };
          const discard = (chunk: Buffer) => {
            drained += chunk.length;
            if (drained > LINGER_BYTES) close();
          };
          const timer = setTimeout(close, LINGER_MS);
          timer.unref();
          incoming.on('data', discard);
          incoming.once('end', () => close());
          incoming.resume();
        };
        if (env.outgoing && !env.outgoing.writableFinished) env.outgoing.once('finish', linger);
        else linger();
      },
    };
  }
  if (!c.req.raw.body) throw badRequest('The request has no body.');
  const stream = Readable.fromWeb(c.req.raw.body as unknown as WebReadableStream<Uint8Array>);
  return { stream, stop: () => stream.destroy() };
}
