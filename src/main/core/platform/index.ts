// The platform layer's public surface for the rest of the core (sync, desk): types, errors, client registry.
export * from './types';
export { PlatformRegistry, type PlatformSettings } from './registry';
export { KuaishouClient, DEFAULT_BASE_URL, API } from './client';
export { deskErrorFromPlatform } from './desk-errors';
