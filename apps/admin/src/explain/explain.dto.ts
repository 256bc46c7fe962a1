import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsString, IsUUID, Length } from 'class-validator';
import { Omittable } from '@liaison/http';

/** Either `event` (as it would be published) or `eventId` (one the router has routed), and the recipient to explain for. */
export class ExplainDto {
  /** A CloudEvent as the agency would publish it; validated like the gateway does. Its owner is the path agency. */
  @ApiPropertyOptional({
    allOf: [{ $ref: '#/components/schemas/CloudEvent' }],
    description: 'exactly one of event and eventId',
    example: {
      specversion: '1.0',
      id: 'b1f3c1de-7c1a-4d38-9a8e-5a1f0f3d2c11',
      source: 'urn:liaison:agency:TX0000001',
      type: 'gov.liaison.incident.reported.v1',
      subject: 'INC-2026-000123',
      time: '2026-11-25T02:14:07-06:00',
      tlp: 'GREEN',
      feed: 'incidents',
      data: { incidentType: '13A', status: 'open', priority: 1, occurredAt: '2026-11-25T02:09:00-06:00' },
    },
  })
  @Omittable()
  @IsObject()
  event?: Record<string, unknown>;

  /** The CloudEvents id of an event the agency published and the router routed. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 128, example: 'b1f3c1de-7c1a-4d38-9a8e-5a1f0f3d2c11' })
  @Omittable()
  @IsString()
  @Length(1, 128)
  eventId?: string;

  @ApiProperty({ format: 'uuid', example: '3f1e0b7a-2c4d-4e8f-9a1b-6c7d8e9f0a1b' })
  @IsUUID('all')
  recipientAgencyId!: string;
}

/** Why the recipient would (not) get the event, under the policies in force now. */
export class ExplanationView {
  @ApiProperty({ format: 'uuid' })
  recipientAgencyId!: string;

  @ApiProperty({ example: true })
  share!: boolean;

  /** Every rule that decided, in evaluation order. */
  @ApiProperty({ type: [String], example: ['shared-under-policy'] })
  reasons!: string[];

  /** Granting policies (shared) or those considered and refused (denied). */
  @ApiProperty({ type: [String], example: ['7d2c9a4e-1b3f-4c5d-8e6f-0a1b2c3d4e5f'] })
  policyIds!: string[];

  @ApiProperty({ type: Object, nullable: true, example: { redact: ['/caseNumber'], coarsenLocationDegrees: 0.01, dropNarrative: true } })
  fieldRules!: { redact: string[]; coarsenLocationDegrees: number | null; dropNarrative: boolean } | null;

  /** The event's `data` as the recipient would receive it (after field rules); null when denied. */
  @ApiProperty({ type: Object, nullable: true, example: { incidentType: '13A' } })
  copy!: Record<string, unknown> | null;
}
