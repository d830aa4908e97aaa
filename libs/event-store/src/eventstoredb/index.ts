export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions, type EsdbClient } from './eventstoredb-event-store';
export { UnsealedEventError } from './eventstoredb-mapping';
