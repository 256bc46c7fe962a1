import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The outcome of a walk of the audit chain. */
export class AuditChainVerificationView {
  @ApiProperty({ description: 'true when every row holds its hash and follows the one before it, up to the head' })
  intact!: boolean;

  @ApiProperty({ description: 'rows checked (up to and including the first broken one)' })
  rows!: number;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'intact: the last row of the chain' })
  lastId?: string | null;

  @ApiPropertyOptional({
    description: 'intact: the hex SHA-256 at the head; kept outside the database, it also shows a chain rewritten from scratch',
  })
  lastHash?: string;

  @ApiPropertyOptional({ description: 'broken: the first row that does not hold' })
  firstBrokenId?: string;

  @ApiPropertyOptional({
    enum: ['content', 'link', 'tail'],
    description: 'content: the row was edited; link: a row before it was removed or inserted; tail: rows after it were removed',
  })
  problem?: 'content' | 'link' | 'tail';

  @ApiProperty({ format: 'date-time' })
  checkedAt!: string;

  @ApiProperty({ description: 'how long the walk took' })
  durationMs!: number;
}
