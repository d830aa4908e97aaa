export * from './project-at';
export * from './restatement';
export * from './series';
export * from './figures-in-time.queries';
