import { Injectable } from '@nestjs/common';
import { issueApiKey } from '@liaison/auth';
import { ApiKeyRepository } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import { apiKeyView, type IssuedApiKeyView } from './api-key.view';
import type { IssueApiKeyDto } from './issue-api-key.dto';

/** Issues an agency API key; the audit row (without the key) commits with it. */
@Injectable()
export class IssueApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditRecorder,
  ) {}

  execute(agencyId: string, dto: IssueApiKeyDto, context: AuditContext): Promise<IssuedApiKeyView> {
    const issued = issueApiKey();
    return this.audit.change(context, async (tx) => {
      const saved = await this.keys.create(
        { agencyId, prefix: issued.prefix, secretSha256: issued.secretSha256, scopes: dto.scopes, label: dto.label },
        tx.manager,
      );
      const view = apiKeyView(saved);
      await tx.record({ action: 'api-key.issue', objectType: 'api-key', objectId: view.id, agencyId, after: view });
      return { ...view, key: issued.plaintext };
    });
  }
}
