// Seals shop secrets with the OS keychain through Electron's safeStorage; the core only sees a SecretBox.
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/secrets';

/** Undefined when the OS offers no real keychain, so the core falls back to its 0600 local key file. */
export function createSafeStorageBox(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  // On Linux without a keyring Electron silently uses a hard-coded key ("basic_text"): no better than our key file.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  // The synchronous calls are deprecated in Electron 45 (removed in 46). The core's SecretBox is synchronous
  // because its secret reads are (PlatformRegistry.clientFor); moving to encryptStringAsync/decryptStringAsync
  // means making those reads async, which belongs with the core's re-cut of the platform registry (issue 9).
  return {
    kind: 'electron-safe-storage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}
