export * from './sync-types';
export * from './suggested-actions';
export * from './vector-summary';
export * from './classify';
export * from './merge-join';
export * from './listed-ancestors';
export * from './key-layout';
