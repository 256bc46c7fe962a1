import { ApiProperty } from '@nestjs/swagger';
import { AGENCY_KINDS, AGENCY_STATUSES, type AgencyEntity } from '@liaison/persistence';

export class AgencyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'TX2270100' })
  ori!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: AGENCY_KINDS })
  kind!: string;

  @ApiProperty({ enum: AGENCY_STATUSES })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class AgencyPage {
  @ApiProperty({ type: [AgencyView] })
  items!: AgencyView[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor for the next page (pass as `after`)' })
  next!: string | null;
}

export function agencyView(a: AgencyEntity): AgencyView {
  return { id: a.id, ori: a.ori, name: a.name, kind: a.kind, status: a.status, createdAt: a.createdAt.toISOString() };
}
