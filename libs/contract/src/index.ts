// @storesync/contract: the wire contract shared by the server, the dashboard and the clients.
// Types and constant lists only: no imports from Node, Nest or any package, so it bundles anywhere.
export * from './wire';
export * from './events';
export * from './errors';
export * from './socket';
