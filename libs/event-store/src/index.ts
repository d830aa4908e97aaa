export * from './event-store.port';
export * from './canonical-json';
export * from './hash-chain';
export * from './postgres/database';
export * from './postgres/postgres-event-store';
export * from './postgres/embedded-postgres';
export * from './postgres/pg-errors';
export { CreateEvents1732000000000 } from './migrations/1732000000000-create-events';
