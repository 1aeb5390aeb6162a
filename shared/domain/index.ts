export * from './entities';
export * from './field-limits';
export * from './phone';
export * from './primitives';
export * from './voc';
export * from './business-calendar';
export * from './text-policy';
