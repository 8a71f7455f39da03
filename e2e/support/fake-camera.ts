// A video file for Chromium's fake camera (--use-file-for-fake-video-capture):
// Y4M (raw YUV 4:2:0), each code shown as a QR code for `secondsEach`, then a
// short blank, looped by Chromium. The QR modules come from the same `qrcode`
// library the app draws tickets with.
import { writeFile } from 'node:fs/promises';
import QRCode from 'qrcode';

const SIZE = 480;
const FPS = 10;

function qrFrameLuma(code: string): Uint8Array {
  const luma = new Uint8Array(SIZE * SIZE).fill(235);
  const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
  const scale = Math.floor((SIZE - 40) / (modules.size + 8));
  const offset = Math.floor((SIZE - modules.size * scale) / 2);
  for (let y = 0; y < modules.size; y += 1) {
    for (let x = 0; x < modules.size; x += 1) {
      if (!modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy += 1) {
        const row = (offset + y * scale + dy) * SIZE + offset + x * scale;
        luma.fill(16, row, row + scale);
      }
    }
  }
  return luma;
}

/** Writes the file and returns its path. */
export async function writeQrVideo(file: string, codes: string[], secondsEach = 1.2): Promise<string> {
  const chroma = new Uint8Array((SIZE / 2) * (SIZE / 2) * 2).fill(128);
  const blank = new Uint8Array(SIZE * SIZE).fill(235);
  const header = Buffer.from(`YUV4MPEG2 W${SIZE} H${SIZE} F${FPS}:1 Ip A1:1 C420jpeg\n`, 'latin1');
  const frameTag = Buffer.from('FRAME\n', 'latin1');
  const parts: Uint8Array[] = [header];
  const push = (luma: Uint8Array, count: number) => {
    for (let i = 0; i < count; i += 1) parts.push(frameTag, luma, chroma);
  };
  for (const code of codes) {
    push(qrFrameLuma(code), Math.round(secondsEach * FPS));
    if (codes.length > 1) push(blank, 2);
  }
  await writeFile(file, Buffer.concat(parts));
  return file;
}
