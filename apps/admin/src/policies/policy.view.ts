import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TLP_LEVELS } from '@liaison/contracts';
import { GEO_SCOPE_SCHEMA } from './policy.dto';

/** The grantee of a policy: one agency or a sharing group. */
class PolicyGranteeView {
  @ApiProperty({ enum: ['agency', 'group'] })
  kind!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'when kind is agency' })
  agencyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'when kind is group' })
  groupId?: string;
}

class PolicyFieldRulesView {
  @ApiProperty({ type: [String], description: 'JSON pointers into data that are removed' })
  redact!: string[];

  @ApiProperty({ type: Number, nullable: true })
  coarsenLocationDegrees!: number | null;

  @ApiProperty()
  dropNarrative!: boolean;
}

/** A version of a sharing policy, as the configuration topic carries it (SharingPolicyConfigV1). */
export class PolicyViewDoc {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ minimum: 1, description: 'each update is a new version' })
  version!: number;

  @ApiProperty({ format: 'uuid' })
  grantorAgencyId!: string;

  @ApiProperty({ type: PolicyGranteeView })
  grantee!: PolicyGranteeView;

  @ApiProperty({ type: [String], nullable: true, description: 'null: every feed' })
  feeds!: string[] | null;

  @ApiProperty({ type: [String], nullable: true, description: 'null: every type' })
  eventTypes!: string[] | null;

  @ApiProperty({ enum: TLP_LEVELS })
  maxTlp!: string;

  @ApiProperty({ oneOf: GEO_SCOPE_SCHEMA.oneOf, nullable: true })
  geoScope!: unknown;

  @ApiProperty()
  purpose!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  validFrom!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  validUntil!: string | null;

  @ApiProperty({ type: PolicyFieldRulesView })
  fieldRules!: PolicyFieldRulesView;

  @ApiProperty({ description: 'the actor that wrote this version' })
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;
}

export class PolicyPage {
  @ApiProperty({ type: [PolicyViewDoc] })
  items!: PolicyViewDoc[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor for the next page' })
  next!: string | null;
}

export class PolicyVersions {
  @ApiProperty({ type: [PolicyViewDoc], description: 'every version, oldest first' })
  items!: PolicyViewDoc[];
}
