// Secrets at rest: the SecretBox seam and its default local implementation.
export type { SecretBox } from './secret-box';
export { createLocalSecretBox, loadOrCreateKey, KEY_FILE, SecretKeyError } from './local-key';
