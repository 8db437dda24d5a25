// The DeskApi contract: methods, events, envelope and error codes shared by every layer.
export * from './errors';
export * from './envelope';
export * from './ids';
export * from './define';
export * from './methods';
export * from './events';
export * from './app';
export * from './after-sales';
export * from './sync';
export * from './operators';
export * from './audit';
export * from './desk';
export * from './shops';
export * from './waybills';
export * from './security';
