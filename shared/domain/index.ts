export * from './entities';
export * from './field-limits';
export * from './phone';
export * from './text-policy';
