export { readLiveTarget, toLiveMetadata } from './read-live';
export type { LiveClients, ReadLiveOptions } from './read-live';
export { LIVE_ACTIONS, LIVE_OPERATIONS } from './operations';
export type { LiveOperation } from './operations';
