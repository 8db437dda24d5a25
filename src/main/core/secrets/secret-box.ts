// The SecretBox seam: how shop secrets are sealed at rest. Electron passes a safeStorage-backed one; Node uses local-key.ts.
export interface SecretBox {
  /** Which implementation sealed a value (stored next to it, so a later switch can tell what it reads). */
  readonly kind: string;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}
