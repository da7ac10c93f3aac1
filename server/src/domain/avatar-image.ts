// Turns an uploaded or fetched picture into a contact's profile picture: the bytes are sniffed as documents are
// (PNG, JPEG, WebP or GIF only; markup and ZIP polyglots refused), checked against the pixel limit before they are
// decoded, then re-encoded by sharp (libvips) as a small square WebP. Re-encoding keeps only pixels: EXIF (GPS,
// camera), ICC and XMP metadata and anything appended to the file are gone from what is stored and served.
import sharp from 'sharp';
import { ApiError } from '../http/errors.js';
import { SniffError, sniffKind } from './sniff.js';

export interface AvatarLimits {
  /** Largest picture accepted (upload or fetch), in bytes. */
  maxBytes: number;
  /** Most pixels (width × height) a picture may have: decoding is refused above it (decompression bombs). */
  maxPixels: number;
  /** Time allowed to fetch a sender's picture by URL (POST /messages), in ms. */
  fetchTimeoutMs: number;
}

export const DEFAULT_AVATAR_LIMITS: AvatarLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxPixels: 40_000_000,
  fetchTimeoutMs: 10_000,
};

/** Side of the stored square picture, in pixels (twice the largest size the widgets show it at, for sharp screens). */
export const AVATAR_SIZE = 256;
export const AVATAR_MEDIA_TYPE = 'image/webp';

const IMAGE_KINDS = new Set(['png', 'jpg', 'gif', 'webp']);

export const unsupportedImage = (message: string, details: Record<string, unknown> = {}) =>
  new ApiError(415, 'unsupported_image', message, details);

/** Sniffs, checks and re-encodes a picture; answers the WebP bytes to store. Throws ApiError (415, 422) when refused. */
export async function encodeAvatar(bytes: Buffer, limits: AvatarLimits): Promise<Buffer> {
  const file = { size: bytes.length, read: async (position: number, length: number) => bytes.subarray(position, position + length) };
  let kind: string;
  try {
    kind = await sniffKind(file, false);
  } catch (err) {
    if (!(err instanceof SniffError)) throw err;
    throw unsupportedImage(`${err.message} Profile pictures must be PNG, JPEG, WebP or GIF images.`, { reason: err.reason, ...err.details });
  }
  if (!IMAGE_KINDS.has(kind)) {
    throw unsupportedImage(`This is a ${kind.toUpperCase()} file; profile pictures must be PNG, JPEG, WebP or GIF images.`, { reason: 'not_an_image', detected: kind });
  }
  // Only the first frame of an animation; decoding stops with an error past the pixel limit or on a broken file.
  const image = sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error', animated: false });
  let width = 0;
  let height = 0;
  try {
    // The header alone (no decoding), read without the limit so a picture over it is named as such.
    ({ width, height } = await sharp(bytes, { limitInputPixels: false, animated: false }).metadata());
  } catch {
    throw unreadable();
  }
  if (width * height > limits.maxPixels) {
    throw new ApiError(422, 'image_too_large', `The picture is ${width} × ${height} pixels; at most ${limits.maxPixels.toLocaleString('en-US')} pixels are accepted.`, { width, height, maxPixels: limits.maxPixels });
  }
  try {
    // rotate() applies the EXIF orientation before the metadata is dropped; cover crops the centre to a square.
    return await image.rotate().resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover' }).webp({ quality: 82 }).toBuffer();
  } catch {
    throw unreadable();
  }
}

const unreadable = () => new ApiError(422, 'image_unreadable', 'The picture could not be read; it may be damaged or truncated.');
