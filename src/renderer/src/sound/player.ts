// Plays the desk's tones with Web Audio (synthesized, no audio files), at the volume and mute of settings.
import { reactive } from 'vue';
import { TONES, type SoundName } from './tones';

let context: AudioContext | null = null;

export const soundSettings = { volume: 0.6, muted: false };

/** `preview` plays at a volume not saved yet (the settings dialog's slider), whatever the mute. */
export function playSound(name: SoundName, preview?: { volume: number }): void {
  const volume = preview ? preview.volume : soundSettings.muted ? 0 : soundSettings.volume;
  lastSound.name = name;
  lastSound.count++;
  lastSound.volume = volume;
  if (volume <= 0) return;
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    let at = context.currentTime + 0.01;
    for (const note of TONES[name]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = note.wave;
      osc.frequency.value = note.freq;
      const peak = 0.3 * volume;
      const end = at + note.ms / 1000;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(peak, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, end);
      osc.connect(gain).connect(context.destination);
      osc.start(at);
      osc.stop(end + 0.02);
      at = end + 0.03;
    }
  } catch {
    // No audio device: the colours still tell the outcome.
  }
}

/** What played last; e2e tests read it from the page through a data attribute. */
export const lastSound = reactive({ name: '' as SoundName | '', count: 0, volume: 0 });
