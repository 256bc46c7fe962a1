import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, FeedRepository, SharingGroupRepository, type PolicyContent } from '@liaison/persistence';
import type { Principal } from '../auth/principal';
import type { PolicyDto } from './policy.dto';
import { policyProblems, toFieldRules, toGeoScope } from './policy-rules';

/**
 * Turns a policy request into the content of a version: runs the pure checks, then the ones that
 * need the database (the grantee agency or group exists, the named feeds are the grantor's).
 * Every failure is a 400 naming the field.
 */
@Injectable()
export class PolicyContentResolver {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly groups: SharingGroupRepository,
    private readonly feeds: FeedRepository,
  ) {}

  async resolve(grantorAgencyId: string, dto: PolicyDto): Promise<PolicyContent> {
    const problems = policyProblems(dto, grantorAgencyId);
    if (problems.length > 0) throw new ProblemError('validation-failed', 'see errors for each field', problems);
    const granteeAgencyId = dto.granteeAgencyId?.toLowerCase() ?? null;
    const granteeGroupId = dto.granteeGroupId?.toLowerCase() ?? null;
    if (granteeAgencyId !== null && (await this.agencies.findById(granteeAgencyId)) === null) {
      problems.push({ pointer: '/granteeAgencyId', detail: 'no agency has this id' });
    }
    if (granteeGroupId !== null && (await this.groups.findById(granteeGroupId)) === null) {
      problems.push({ pointer: '/granteeGroupId', detail: 'no sharing group has this id' });
    }
    if (dto.feeds !== undefined && dto.feeds !== null) {
      const known = await this.feeds.existingNames(grantorAgencyId, dto.feeds);
      dto.feeds.forEach((name, i) => {
        if (!known.has(name)) problems.push({ pointer: `/feeds/${i}`, detail: `the agency has no feed named ${name}` });
      });
    }
    if (problems.length > 0) throw new ProblemError('validation-failed', 'see errors for each field', problems);
    return {
      granteeAgencyId,
      granteeGroupId,
      feeds: dto.feeds ?? null,
      eventTypes: dto.eventTypes ?? null,
      maxTlp: dto.maxTlp,
      geoScope: dto.geoScope === undefined || dto.geoScope === null ? null : toGeoScope(dto.geoScope),
      purpose: dto.purpose,
      validFrom: typeof dto.validFrom === 'string' ? new Date(dto.validFrom) : null,
      validUntil: typeof dto.validUntil === 'string' ? new Date(dto.validUntil) : null,
      fieldRules: toFieldRules(dto.fieldRules),
    };
  }
}

/** Who made a version, for the record. */
export function actor(principal: Principal): string {
  return principal.kind === 'operator' ? 'operator' : `api-key:${principal.keyId}`;
}
