export * from './ports';
export { MongoMetadataStore } from './mongodb/mongo-metadata.store';
export { LocalMetadataStore } from './local/local-metadata.store';
