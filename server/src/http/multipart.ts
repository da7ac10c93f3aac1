// Streams a multipart/form-data body through busboy: fields are handed over as they come, each file part as a
// stream the handler must consume (that is the backpressure). Nothing is buffered beyond busboy's own chunks.
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { RequestBody } from './body.js';
import { ApiError, badRequest } from './errors.js';

export interface MultipartHandlers {
  field(name: string, value: string): void;
  /** Consumes one file part; a rejection aborts the whole request. */
  file(field: string, filename: string, stream: Readable): Promise<void>;
}

export interface MultipartLimits {
  /** Busboy stops a file part after this many bytes; give it limit + 1 so the handler sees the crossing byte. */
  fileBytes: number;
  files: number;
}

export const interrupted = () => new ApiError(400, 'upload_interrupted', 'The upload was interrupted before it finished.');

export function readMultipart(contentType: string, body: RequestBody, limits: MultipartLimits, handlers: MultipartHandlers): Promise<void> {
  if (!/^multipart\/form-data\b/i.test(contentType)) throw badRequest('Send the files as multipart/form-data.');
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { fileSize: limits.fileBytes, files: limits.files, fields: 20, fieldSize: 64 * 1024, parts: limits.files + 20 },
      defParamCharset: 'utf8',
    });
  } catch {
    throw badRequest('The multipart Content-Type has no boundary.');
  }
  const input = body.stream;

  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const tasks: Promise<void>[] = [];
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      input.unpipe(parser);
      // Destroying busboy also errors the file stream being read, so its handler stops and cleans up.
      parser.destroy(err instanceof Error ? err : new Error(String(err)));
      body.stop();
      // Let handlers finish their cleanup before answering.
      void Promise.allSettled(tasks).then(() => reject(err));
    };
    parser.on('field', (name, value) => {
      if (failed) return;
      try {
        handlers.field(name, value);
      } catch (err) {
        fail(err);
      }
    });
    parser.on('file', (field, stream, info) => {
      // Destroying the parser errors this stream; a handler that already gave up must not crash the process.
      stream.on('error', () => undefined);
      if (failed) {
        stream.resume();
        return;
      }
      tasks.push(
        handlers.file(field, info.filename ?? '', stream).catch((err: unknown) => {
          stream.resume();
          fail(err);
        }),
      );
    });
    parser.on('filesLimit', () => fail(new ApiError(413, 'too_many_files', `At most ${limits.files} files per upload.`, { maxFiles: limits.files })));
    parser.on('error', (err: Error) => fail(failed ? err : badRequest(`The multipart body is malformed: ${err.message}`)));
    input.on('error', () => fail(interrupted()));
    parser.on('close', () => {
      void Promise.all(tasks).then(
        () => (failed ? undefined : resolve()),
        (err: unknown) => fail(err),
      );
    });
    input.pipe(parser);
  });
}
