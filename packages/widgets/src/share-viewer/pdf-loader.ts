// Loads pdf.js on demand (never in the main bundle). The worker code runs on the main thread ("fake worker"):
// one lazy module, no worker URL to host, and the same code in the dev server, tests and the Vite build.
import { loadChunk } from '../../../core/src/chunk.js';
type PdfJs = typeof import('pdfjs-dist');
let loading: Promise<PdfJs> | null = null;

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= (async () => {
    // @ts-expect-error the worker module ships without type declarations
    const [lib, worker] = await Promise.all([loadChunk(() => import('pdfjs-dist')), loadChunk(() => import('pdfjs-dist/build/pdf.worker.min.mjs'))]);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return lib;
  })();
  loading.catch(() => (loading = null));
  return loading;
}
