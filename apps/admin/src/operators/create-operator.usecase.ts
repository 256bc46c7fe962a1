import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, OperatorAccountRepository } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import type { Principal } from '../auth/principal';
import type { CreateOperatorDto } from './create-operator.dto';
import { operatorView, type OperatorView } from './operator.view';
import { PasswordHasher } from './password-hasher';

/**
 * Creates an operator account. Platform operators create anyone; an agency's administrators create
 * administrators of their own agency only. Another agency's id is answered exactly like an unknown
 * one, so the reply never confirms that a tenant exists.
 */
@Injectable()
export class CreateOperatorUseCase {
  constructor(
    private readonly accounts: OperatorAccountRepository,
    private readonly agencies: AgencyRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditRecorder,
  ) {}

  async execute(principal: Principal, dto: CreateOperatorDto, context: AuditContext): Promise<OperatorView> {
    const agencyId = dto.agencyId?.toLowerCase() ?? null;
    if (dto.role === 'platform-operator') {
      if (principal.kind !== 'operator') throw new ProblemError('forbidden', 'only a platform operator can create platform operators');
      if (agencyId !== null) throw invalidAgency('a platform operator belongs to no agency');
    } else {
      if (agencyId === null) throw invalidAgency('an agency administrator needs the agency they administer');
      const visible = principal.kind === 'operator' || principal.agencyId === agencyId;
      if (!visible || (await this.agencies.findById(agencyId)) === null) throw invalidAgency('no agency you administer has this id');
    }
    const password = await this.hasher.hash(dto.password);
    return this.audit.change(context, async (tx) => {
      const created = await this.accounts.create(
        {
          email: dto.email,
          displayName: dto.displayName,
          role: dto.role,
          agencyId,
          passwordHash: password.hash,
          passwordSalt: password.salt,
          passwordParams: password.params,
        },
        tx.manager,
      );
      if (created === undefined) throw new ProblemError('conflict', 'an account with this email already exists');
      const view = operatorView(created);
      await tx.record({ action: 'operator-account.create', objectType: 'operator-account', objectId: view.id, agencyId, after: view });
      return view;
    });
  }
}

function invalidAgency(detail: string): ProblemError {
  return new ProblemError('validation-failed', 'see errors for each field', [{ pointer: '/agencyId', detail }]);
}
