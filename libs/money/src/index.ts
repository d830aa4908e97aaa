export * from './decimal';
export * from './money';
export * from './quantity';
export * from './rate';
export * from './amount-unit';
export * from './interval';
export * from './ratio-decimal';
export * from './stated-value';
