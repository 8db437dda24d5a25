// The desk camera: one getUserMedia stream kept while a parcel is on the card, a frame grabbed per key press.
export interface DeskCamera {
  readonly stream: MediaStream;
  stop(): void;
}

export async function openCamera(): Promise<DeskCamera> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
  return { stream, stop: () => stream.getTracks().forEach((track) => track.stop()) };
}

/** Waits for the preview to have a frame (a camera needs a moment after it starts). */
export function frameReady(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= 2 && video.videoWidth > 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('camera gave no picture')), 5000);
    video.addEventListener(
      'loadeddata',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** The current frame as JPEG bytes, base64 (what evidence.add takes). */
export async function grabJpeg(video: HTMLVideoElement): Promise<string> {
  await frameReady(video);
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  context.drawImage(video, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
  if (!blob) throw new Error('the frame could not be encoded');
  return blobToBase64(blob);
}

export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
