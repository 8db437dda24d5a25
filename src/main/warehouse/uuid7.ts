// UUIDv7 for the warehouse layer: the core's (a desk makes these ids for its records, warehouse or not).
export { isUuidv7, uuidv7, uuidv7Time } from '../core/kernel/uuid7';
