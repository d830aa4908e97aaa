export * from './calendar-format-error';
export * from './calendar-date';
export * from './instant';
export * from './bureau-day';
