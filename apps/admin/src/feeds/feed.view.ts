import type { FeedEntity } from '@liaison/persistence';

export interface FeedView {
  id: string;
  agencyId: string;
  name: string;
  description: string | null;
  eventTypes: string[];
  defaultTlp: string;
  retentionDays: number;
  createdAt: string;
  updatedAt: string;
}

export function feedView(f: FeedEntity): FeedView {
  return {
    id: f.id,
    agencyId: f.agencyId,
    name: f.name,
    description: f.description,
    eventTypes: [...f.eventTypes],
    defaultTlp: f.defaultTlp,
    retentionDays: f.retentionDays,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
  };
}
