export * from './file-record';
export * from './object-info';
export * from './vector-point';
export * from './errors';
export * from './keys';
export * from './point-id';
export * from './reconciliation';
export * from './events';
