export * from './metadata.store';
export * from './object.store';
export * from './vector.store';
export * from './state.store';
