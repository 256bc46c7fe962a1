import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { Omittable } from '@liaison/http';
import { PolicyDto } from '../policy.dto';

export const CHANGE_KINDS = ['create', 'update', 'revoke'] as const;

/** The proposed change: `create` with `policy`, `update` with `policyId` and `policy`, `revoke` with `policyId`. */
export class PolicyChangeDto {
  @ApiProperty({ enum: CHANGE_KINDS, example: 'create' })
  @IsIn(CHANGE_KINDS)
  kind!: (typeof CHANGE_KINDS)[number];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'update and revoke: the policy changed',
    example: '7d2c9a4e-1b3f-4c5d-8e6f-0a1b2c3d4e5f',
  })
  @Omittable()
  @IsUUID('all')
  policyId?: string;

  /** create and update: the same body as POST and PUT …/policies, checked the same way. */
  @ApiPropertyOptional({ type: PolicyDto })
  @Omittable()
  @IsObject({ message: ({ property }) => `${property} must be a JSON object` })
  @ValidateNested()
  @Type(() => PolicyDto)
  policy?: PolicyDto;
}

export class SimulateDto {
  @ApiProperty({ type: PolicyChangeDto })
  @IsObject({ message: ({ property }) => `${property} must be a JSON object` })
  @ValidateNested()
  @Type(() => PolicyChangeDto)
  change!: PolicyChangeDto;

  /** How many of the agency's most recently routed events to evaluate. */
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200, example: 200 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class PartnerDifferenceView {
  @ApiProperty({ format: 'uuid' })
  recipientAgencyId!: string;

  @ApiProperty({ type: [String], description: 'events the partner would receive only after the change' })
  gained!: string[];

  @ApiProperty({ type: [String], description: 'events the partner would no longer receive' })
  lost!: string[];

  @ApiProperty({ type: [String], description: 'events shared both ways with different field rules' })
  fieldRulesChanged!: string[];
}

export class SimulationView {
  @ApiProperty({ example: 200 })
  eventsEvaluated!: number;

  /** Only partners whose outcome differs. */
  @ApiProperty({ type: [PartnerDifferenceView] })
  partners!: PartnerDifferenceView[];
}
