import { ApiProperty } from '@nestjs/swagger';
import { TLP_LEVELS } from '@liaison/contracts';
import type { FeedEntity } from '@liaison/persistence';

export class FeedView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  agencyId!: string;

  @ApiProperty({ example: 'incidents' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: [String], example: ['gov.liaison.incident.reported.v1'] })
  eventTypes!: string[];

  @ApiProperty({ enum: TLP_LEVELS })
  defaultTlp!: string;

  @ApiProperty({ example: 1825 })
  retentionDays!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class FeedPage {
  @ApiProperty({ type: [FeedView] })
  items!: FeedView[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor for the next page' })
  next!: string | null;
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
