// The desktop's local store: every SQL statement lives in main/db, behind these typed functions.
export * from './connection';
export * from './migrate';
export * from './sync-state';
export * from './outbox';
export * from './rejected';
export * from './cache';
export * from './agent-writes';
export * from './working-set';
export * from './screen-pop';
export * from './search';
export * from './pull-apply';
export * from './reference-data';
export * from './center-answers';
export * from './voc-acts';
export * from './store-lock';
export * from './center-identity';
export * from './conversation-outbox';
