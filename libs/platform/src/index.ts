export * from './config';
export * from './migrations';
export * from './fundtrail-core.module';
