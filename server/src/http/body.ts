import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context } from 'hono';
import { badRequest } from './errors.js';

export interface RequestBody {
  stream: Readable;
  /** Stops reading without killing the socket, so an error response can still be sent. */
  stop(): void;
}

/**
 * The request body as a Node stream. On @hono/node-server that is the IncomingMessage itself: going through
 * the web ReadableStream and back costs about half the upload throughput. Elsewhere (tests using app.request)
 * the web body is adapted.
 */
export function requestBody(c: Context): RequestBody {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && typeof incoming.pipe === 'function' && !incoming.readableDidRead) {
    return {
      stream: incoming,
      stop() {
        incoming.unpipe();
        incoming.pause();
      },
    };
  }
  if (!c.req.raw.body) throw badRequest('The request has no body.');
  const stream = Readable.fromWeb(c.req.raw.body as unknown as WebReadableStream<Uint8Array>);
  return { stream, stop: () => stream.destroy() };
}
