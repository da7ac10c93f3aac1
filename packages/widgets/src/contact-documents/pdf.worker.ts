// The pdf.js worker, as a module worker created lazily by pdf-view.ts with
// `new Worker(new URL('./pdf.worker.ts', import.meta.url), { type: 'module' })`: Vite bundles it as its own
// file for dist/, and the test runner's dev server serves it (resolving the bare import) as it is.
import 'pdfjs-dist/build/pdf.worker.min.mjs';
