import { ApiProperty } from '@nestjs/swagger';

export class AcceptedEventView {
  @ApiProperty({ maxLength: 128, description: 'the event id' })
  id!: string;

  @ApiProperty({ maxLength: 256, description: 'the event subject (its Kafka key)' })
  subject!: string;

  @ApiProperty({ enum: ['accepted'] })
  status!: 'accepted';
}

export class EventErrorView {
  @ApiProperty({ description: 'JSON pointer into the request body', maxLength: 512 })
  pointer!: string;

  @ApiProperty({ maxLength: 1000 })
  detail!: string;
}

export class EventOutcomeView {
  @ApiProperty({ description: 'position of the event in the batch', minimum: 0 })
  index!: number;

  @ApiProperty({ type: String, nullable: true, description: 'the event id, when the event had one' })
  id!: string | null;

  @ApiProperty({ enum: ['accepted', 'rejected'] })
  status!: 'accepted' | 'rejected';

  @ApiProperty({ required: false, maxLength: 256 })
  subject?: string;

  @ApiProperty({ type: [EventErrorView], required: false, description: 'why a rejected event was rejected' })
  errors?: EventErrorView[];
}

export class BatchResultView {
  @ApiProperty({ minimum: 0 })
  accepted!: number;

  @ApiProperty({ minimum: 0 })
  rejected!: number;

  @ApiProperty({ type: [EventOutcomeView], description: 'one outcome per event, in request order' })
  results!: EventOutcomeView[];
}
