// The one permission the desk window grants: the camera (video only), to the app's own pages. Pure, for tests.
import { isTrustedSenderUrl } from './trust';

export interface PermissionAsk {
  permission: string;
  /** The page or frame asking (requestingUrl / requestingOrigin as Electron reports it). */
  url: string | undefined;
  /** For 'media': what is asked for; anything but video (the microphone) stays denied. */
  mediaTypes?: readonly string[] | undefined;
  mediaType?: string | undefined;
}

export function cameraPermissionAllowed(ask: PermissionAsk, devServerUrl?: string): boolean {
  if (ask.permission !== 'media') return false;
  if (!isTrustedSenderUrl(ask.url, devServerUrl)) return false;
  const types = ask.mediaTypes ?? (ask.mediaType ? [ask.mediaType] : []);
  return types.length > 0 && types.every((type) => type === 'video');
}
