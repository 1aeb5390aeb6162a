// Center <-> desktop wire messages (HTTP and socket.io), per SYNC.md and ARCHITECTURE.md.
// Every message is parsed with these schemas at the receiving end. One file per section; this
// barrel re-exports them all, so importers name `shared/protocol` and nothing deeper.
export * from './connection';
export * from './errors';
export * from './sync';
export * from './lookup';
export * from './calls';
export * from './agent-states';
export * from './queue-metrics';
export * from './queue-thresholds';
export * from './great-service';
export * from './voc';
export * from './channels';
export * from './events';
