// The queue metrics wire schema now lives in shared/protocol (supervisor views parse it too); kept here for the queues modules.
export * from '../../../shared/protocol/queue-metrics';
