import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { ApiKeyRepository } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import { apiKeyView } from './api-key.view';

/** Revokes one of the agency's keys; an unknown, foreign or already revoked key is 404. */
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditRecorder,
  ) {}

  execute(agencyId: string, keyId: string, context: AuditContext): Promise<void> {
    return this.audit.change(context, async (tx) => {
      const before = await this.keys.findForAgency(agencyId, keyId, tx.manager);
      if (before === null || !(await this.keys.revoke(agencyId, keyId, tx.manager))) throw new ProblemError('not-found');
      const after = await this.keys.findForAgency(agencyId, keyId, tx.manager);
      await tx.record({
        action: 'api-key.revoke',
        objectType: 'api-key',
        objectId: keyId,
        agencyId,
        before: apiKeyView(before),
        after: after === null ? null : apiKeyView(after),
      });
    });
  }
}
