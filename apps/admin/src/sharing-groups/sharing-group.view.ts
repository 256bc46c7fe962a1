import type { SharingGroupEntity } from '@liaison/persistence';

export interface SharingGroupView {
  id: string;
  name: string;
  description: string | null;
  memberAgencyIds: string[];
  createdAt: string;
  updatedAt: string;
}

export function sharingGroupView(g: SharingGroupEntity, memberAgencyIds: readonly string[]): SharingGroupView {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    memberAgencyIds: [...memberAgencyIds].sort(),
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}
