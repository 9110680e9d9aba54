export * from './app-config';
export * from './environment';
export * from './config.module';
export * from './data-model';
export * from './data-model.loader';
export * from './notifications';
