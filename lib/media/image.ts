// Cover images: what an upload must be, and what is kept of it. The bytes are
// sniffed by sharp (its metadata names the format it decoded, whatever the
// request's Content-Type says), then re-encoded to WebP at most 1600 px wide,
// aspect kept, turned upright by its EXIF orientation and written without any
// metadata (sharp keeps none unless asked: no EXIF, no GPS, no ICC, no XMP).
import sharp from 'sharp';
import { AppError } from '@/lib/errors';

/** What an upload may claim to be, and the format sharp must find for each claim. */
export const COVER_TYPES = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export type CoverType = keyof typeof COVER_TYPES;
export const COVER_MAX_BYTES = 5 * 1024 * 1024;
export const COVER_MAX_WIDTH = 1600;
/** A decompression bomb (a tiny PNG of 100 000 × 100 000 px) is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;

export type EncodedImage = { bytes: Buffer; width: number; height: number; contentType: 'image/webp' };

export function isCoverType(value: string): value is CoverType {
  return Object.hasOwn(COVER_TYPES, value);
}

/** The upload as the cover that is kept; 400 UNSUPPORTED_IMAGE when it is not an image of the type it claims. */
export async function encodeCover(bytes: Uint8Array, claimed: string): Promise<EncodedImage> {
  // No bytes is no image (sharp's constructor throws on an empty buffer, before any promise).
  if (!isCoverType(claimed) || bytes.byteLength === 0) throw new AppError('UNSUPPORTED_IMAGE');
  const input = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
  const format = await input.metadata().then(
    (meta) => meta.format,
    () => null,
  );
  if (format !== COVER_TYPES[claimed]) throw new AppError('UNSUPPORTED_IMAGE');
  try {
    const { data, info } = await input
      .rotate()
      .resize({ width: COVER_MAX_WIDTH, withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height, contentType: 'image/webp' };
  } catch {
    // The header read as an image but the pixels do not decode (truncated, corrupt, too large).
    throw new AppError('UNSUPPORTED_IMAGE');
  }
}
