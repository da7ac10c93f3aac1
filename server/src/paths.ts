import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The repository root, whatever the working directory is. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const DEFAULT_DATA_DIR = resolve(process.env.DOSSIER_DATA_DIR ?? resolve(process.cwd(), 'data'));
