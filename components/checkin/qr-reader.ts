// Reading a QR code from a video frame: the browser's BarcodeDetector where it
// has one that knows QR codes, else jsQR on a canvas (Chromium on desktop
// Linux and Windows, Firefox, Safari before 17).
import jsQR from 'jsqr';

type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
type DetectorClass = (new (options: { formats: string[] }) => Detector) & { getSupportedFormats?: () => Promise<string[]> };

/** The frame is scaled down to this width at most before jsQR reads it. */
const JSQR_MAX_WIDTH = 640;

/** BarcodeDetector is not in TypeScript's DOM types yet: the one place that looks it up. */
function barcodeDetectorClass(): DetectorClass | undefined {
  return (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
}

async function barcodeDetector(): Promise<Detector | null> {
  const Found = barcodeDetectorClass();
  if (!Found) return null;
  try {
    const formats = (await Found.getSupportedFormats?.()) ?? [];
    return formats.includes('qr_code') ? new Found({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

export type QrReader = (video: HTMLVideoElement) => Promise<string | null>;

/** A reader for the frames of one camera session; it throws on a frame it could not read. */
export async function qrReader(): Promise<QrReader> {
  const detector = await barcodeDetector();
  if (detector) {
    return async (video) => {
      const [found] = await detector.detect(video);
      return found?.rawValue || null;
    };
  }
  let canvas: HTMLCanvasElement | null = null;
  return async (video) => {
    const scale = Math.min(1, JSQR_MAX_WIDTH / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    canvas ??= document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) return null;
    context.drawImage(video, 0, 0, width, height);
    const found = jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' });
    return found?.data || null;
  };
}
