export * from './dataset';
export * from './seed-loader';
export * from './reconcile';
