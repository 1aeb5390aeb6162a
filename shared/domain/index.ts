export * from './entities';
export * from './phone';
