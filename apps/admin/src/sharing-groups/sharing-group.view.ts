import { ApiProperty } from '@nestjs/swagger';
import type { SharingGroupEntity } from '@liaison/persistence';

export class SharingGroupView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: [String], format: 'uuid' })
  memberAgencyIds!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class SharingGroupPage {
  @ApiProperty({ type: [SharingGroupView] })
  items!: SharingGroupView[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor for the next page' })
  next!: string | null;
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
