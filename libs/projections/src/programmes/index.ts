export * from './programme-details';
export * from './programme-scope';
export * from './programmes.projector';
