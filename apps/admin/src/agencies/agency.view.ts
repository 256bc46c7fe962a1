import type { AgencyEntity } from '@liaison/persistence';

export interface AgencyView {
  id: string;
  ori: string;
  name: string;
  kind: string;
  status: string;
  jurisdiction: string | null;
  lawEnforcement: boolean;
  acceptsStatuses: string[];
  suspendedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function agencyView(a: AgencyEntity): AgencyView {
  return {
    id: a.id,
    ori: a.ori,
    name: a.name,
    kind: a.kind,
    status: a.status,
    jurisdiction: a.jurisdiction,
    lawEnforcement: a.lawEnforcement,
    acceptsStatuses: [...a.acceptsStatuses],
    suspendedAt: a.suspendedAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
