export { startQdrantStandin } from './server';
export type { QdrantStandin, QdrantStandinOptions } from './server';
