// What the scanner plays and vibrates with each verdict, so a door person
// hears the answer without looking. Browsers allow sound only after a tap, so
// the audio starts at the first tap (Start camera, Check) and stays silent before.
import { useCallback, useRef } from 'react';
import type { LocalVerdict } from './scanner-store';
import { TONE, type Tone } from './verdict';

/** A short tone: one high for admitted, two low for anything else. */
function play(audio: AudioContext | null, tone: Tone): void {
  navigator.vibrate?.(tone === 'green' ? 120 : [200, 100, 200]);
  if (!audio) return;
  const beeps = tone === 'green' ? [0] : [0, 0.22];
  for (const start of beeps) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = tone === 'green' ? 1320 : 330;
    gain.gain.value = 0.15;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(audio.currentTime + start);
    oscillator.stop(audio.currentTime + start + 0.15);
  }
}

export function useDoorSignal(): { unlock(): void; signal(verdict: LocalVerdict): void } {
  const audio = useRef<AudioContext | null>(null);

  const unlock = useCallback(() => {
    if (audio.current || typeof AudioContext === 'undefined') return;
    try {
      audio.current = new AudioContext();
    } catch {
      audio.current = null;
    }
  }, []);

  const signal = useCallback((verdict: LocalVerdict) => play(audio.current, TONE[verdict]), []);

  return { unlock, signal };
}
