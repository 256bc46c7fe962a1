import { ApiProperty } from '@nestjs/swagger';
import { OPERATOR_ROLES, type OperatorAccountEntity, type OperatorRole } from '@liaison/persistence';

/** An operator account as the API shows it: never its password hash, salt or failure count. */
export class OperatorView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'dispatch.lead@example.org' })
  email!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: OPERATOR_ROLES })
  role!: OperatorRole;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  agencyId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  disabledAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'set while sign-ins are locked out' })
  lockedUntil!: string | null;
}

export function operatorView(a: OperatorAccountEntity): OperatorView {
  return {
    id: a.id,
    email: a.email,
    displayName: a.displayName,
    role: a.role,
    agencyId: a.agencyId,
    createdAt: a.createdAt.toISOString(),
    disabledAt: a.disabledAt?.toISOString() ?? null,
    lockedUntil: a.lockedUntil?.toISOString() ?? null,
  };
}

export class OperatorPage {
  @ApiProperty({ type: [OperatorView] })
  items!: OperatorView[];

  @ApiProperty({ type: String, nullable: true, description: 'cursor for the next page (pass as `after`)' })
  next!: string | null;
}
