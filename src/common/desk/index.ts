// The desk domain: named platform codes and the rules every layer (core, outbox worker, queue SQL, renderer) applies.
export * from './codes';
export * from './rules';
