import type { AgencyEntity } from '@liaison/persistence';

export interface AgencyView {
  id: string;
  ori: string;
  name: string;
  kind: string;
  status: string;
  createdAt: string;
}

export function agencyView(a: AgencyEntity): AgencyView {
  return { id: a.id, ori: a.ori, name: a.name, kind: a.kind, status: a.status, createdAt: a.createdAt.toISOString() };
}
