// The camera is the one permission granted: video only, and only to the app's own origin.
import { describe, expect, it } from 'vitest';
import { cameraPermissionAllowed } from '../../../src/main/shell/camera-permission';

describe('camera permission', () => {
  it('grants video to app://desk pages', () => {
    expect(cameraPermissionAllowed({ permission: 'media', url: 'app://desk/index.html', mediaTypes: ['video'] })).toBe(true);
    expect(cameraPermissionAllowed({ permission: 'media', url: 'app://desk', mediaType: 'video' })).toBe(true);
  });

  it('denies the microphone, other permissions, other origins and unknown asks', () => {
    expect(cameraPermissionAllowed({ permission: 'media', url: 'app://desk/', mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(cameraPermissionAllowed({ permission: 'media', url: 'app://desk/', mediaTypes: [] })).toBe(false);
    expect(cameraPermissionAllowed({ permission: 'geolocation', url: 'app://desk/', mediaTypes: ['video'] })).toBe(false);
    expect(cameraPermissionAllowed({ permission: 'media', url: 'https://evil.example/', mediaTypes: ['video'] })).toBe(false);
    expect(cameraPermissionAllowed({ permission: 'media', url: 'app://other/', mediaTypes: ['video'] })).toBe(false);
    expect(cameraPermissionAllowed({ permission: 'media', url: undefined, mediaTypes: ['video'] })).toBe(false);
  });

  it('grants the dev server only when it is the dev server', () => {
    const ask = { permission: 'media', url: 'http://localhost:5173/', mediaTypes: ['video'] };
    expect(cameraPermissionAllowed(ask)).toBe(false);
    expect(cameraPermissionAllowed(ask, 'http://localhost:5173')).toBe(true);
  });
});
