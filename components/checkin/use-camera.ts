// The scanner's camera: the back camera where there is one, a frame read every
// FRAME_MS while it runs, each code found handed to `onCode`.
import { useCallback, useEffect, useRef, useState } from 'react';
import { qrReader } from './qr-reader';

export type CameraState = 'off' | 'starting' | 'on' | 'unavailable' | 'denied';

const FRAME_MS = 150;

export function useCamera(onCode: (raw: string) => void) {
  const [camera, setCamera] = useState<CameraState>('off');
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  // The frame loop outlives renders: it calls whichever onCode is current.
  const handler = useRef(onCode);
  useEffect(() => {
    handler.current = onCode;
  }, [onCode]);

  const stop = useCallback(() => {
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
    if (video.current) video.current.srcObject = null;
    setCamera('off');
  }, []);

  useEffect(() => stop, [stop]);

  const start = useCallback(async () => {
    if (!navigator.mediaDevices?.getUserMedia) {
      setCamera('unavailable');
      return;
    }
    setCamera('starting');
    let own: MediaStream;
    try {
      own = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    } catch (error) {
      setCamera(error instanceof DOMException && error.name === 'NotAllowedError' ? 'denied' : 'unavailable');
      return;
    }
    stream.current = own;
    const element = video.current;
    if (!element) return;
    element.srcObject = own;
    await element.play().catch(() => undefined);
    setCamera('on');
    const read = await qrReader();
    const frame = async () => {
      // Stopped, or started again with a loop of its own.
      if (stream.current !== own) return;
      if (element.readyState >= 2 && element.videoWidth > 0) {
        try {
          const found = await read(element);
          if (found) handler.current(found);
        } catch {
          // A frame that could not be read: the next one will be.
        }
      }
      window.setTimeout(frame, FRAME_MS);
    };
    void frame();
  }, []);

  return { camera, video, start, stop };
}
