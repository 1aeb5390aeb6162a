// The socket.io event names of every message in this folder.
export const EVENTS = {
  pull: 'sync:pull',
  push: 'sync:push',
  poke: 'sync:poke',
  lookup: 'customer:lookup',
  callOffered: 'cti:callOffered',
  /** Added: agent states (agent-states.ts), queue metrics and trends (queue-metrics.ts), call control (calls.ts). */
  setAgentState: 'agent:setState',
  forceAgentState: 'agent:force',
  agentState: 'agent:state',
  queueMetrics: 'queue:metrics',
  queueTrends: 'queue:trends',
  callControl: 'call:control',
  /** Added: per-queue thresholds (queue-thresholds.ts) and great service (great-service.ts). */
  queueThresholds: 'queue:thresholds',
  getQueueThresholds: 'queue:getThresholds',
  setQueueThresholds: 'queue:setThresholds',
  markGreatService: 'greatService:mark',
  listGreatService: 'greatService:list',
  greatServiceShared: 'greatService:shared',
  /** Added: an improvement done because customers told us (great-service.ts), to every desktop of the tenant. */
  improvementShared: 'improvement:shared',
  /** Added: an improvement was proposed, moved on or linked to more items (great-service.ts), to every desktop of the tenant. */
  improvementChanged: 'improvement:changed',
  /** Added: the VOC desk and follow-up calls (voc.ts). */
  vocQueue: 'voc:queue',
  vocItem: 'voc:item',
  vocChanged: 'voc:changed',
  vocOverdue: 'voc:overdue',
  followUps: 'voc:followUps',
  followUpCall: 'voc:followUpCall',
  followUpReschedule: 'voc:followUpReschedule',
  followUpSkip: 'voc:followUpSkip',
  /** Added: chats and emails as work items (channels.ts). */
  conversationOffered: 'conversation:offered',
  conversationWithdrawn: 'conversation:withdrawn',
  conversationMessage: 'conversation:message',
  conversationAccept: 'conversation:accept',
  conversationDecline: 'conversation:decline',
  conversationReply: 'conversation:reply',
  conversationWrapUp: 'conversation:wrapUp',
  conversationClose: 'conversation:close',
  conversationFetch: 'conversation:fetch',
  conversationMine: 'conversation:mine',
  /** Added: chat and email capacity per queue, set by supervisors (channels.ts). */
  queueCapacities: 'queue:capacities',
  getQueueCapacities: 'queue:getCapacities',
  setQueueCapacity: 'queue:setCapacity',
} as const;
