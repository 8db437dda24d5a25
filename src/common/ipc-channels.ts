// IPC channel names derived from the contract, shared by the preload and the main process.
export const callChannel = (method: string): string => `desk:call:${method}`;
export const EVENT_CHANNEL = 'desk:event';
