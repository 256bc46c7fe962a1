import { ApiProperty } from '@nestjs/swagger';
import { AGENCY_KINDS, AGENCY_STATUSES, type AgencyEntity } from '@liaison/persistence';
import { agencyState } from '../outbox/config-state';

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

  @ApiProperty({ type: String, nullable: true, example: '48201' })
  jurisdiction!: string | null;

  @ApiProperty()
  lawEnforcement!: boolean;

  @ApiProperty({ type: [String], example: [] })
  acceptsStatuses!: string[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  suspendedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class AgencyPage {
  @ApiProperty({ type: [AgencyView] })
  items!: AgencyView[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor for the next page (pass as `after`)' })
  next!: string | null;
}

/** The agency as the API shows it: its configuration state, plus when it was onboarded. */
export function agencyView(a: AgencyEntity): AgencyView {
  return { ...agencyState(a), createdAt: a.createdAt.toISOString() };
}
