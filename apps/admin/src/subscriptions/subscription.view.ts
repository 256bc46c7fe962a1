import type { SubscriptionEntity, SubscriptionFilters } from '@liaison/persistence';

export interface SubscriptionView {
  id: string;
  agencyId: string;
  channel: string;
  label: string;
  filters: SubscriptionFilters;
  url: string | null;
  status: string;
  /** Why the endpoint was disabled (410 Gone, failing too long, refused target, or an administrator). */
  disabledReason: string | null;
  failingSince: string | null;
  rotationEndsAt: string | null;
  createdAt: string;
}

/** The public shape of a subscription; secrets never appear, sealed or not. */
export function subscriptionView(s: SubscriptionEntity, now: Date = new Date()): SubscriptionView {
  const rotating = s.previousSecretExpiresAt !== null && s.previousSecretExpiresAt.getTime() > now.getTime();
  return {
    id: s.id,
    agencyId: s.agencyId,
    channel: s.channel,
    label: s.label,
    filters: s.filters,
    url: s.url,
    status: s.status,
    disabledReason: s.disabledReason,
    failingSince: s.failingSince?.toISOString() ?? null,
    rotationEndsAt: rotating ? (s.previousSecretExpiresAt?.toISOString() ?? null) : null,
    createdAt: s.createdAt.toISOString(),
  };
}
