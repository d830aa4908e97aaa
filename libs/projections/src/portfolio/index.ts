export * from './figure-condition';
export * from './portfolio-queries';
export * from './portfolio-selection';
