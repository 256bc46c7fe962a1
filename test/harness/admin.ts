import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from './http';
import type { TestStack } from './stack';

/** Settings that make password hashing and lockout quick enough for tests (same code paths). */
export const FAST_ADMIN_ENV = { ADMIN_SCRYPT_COST: '16384', ADMIN_LOCKOUT_THRESHOLD: '3', ADMIN_LOCKOUT_MS: '3000' } as const;

export interface TestAccount {
  id: string;
  email: string;
  password: string;
}

/** Creates an operator account with `token` (the bootstrap token unless given). */
export async function createAccount(
  stack: TestStack,
  body: { role: 'platform-operator' | 'agency-admin'; agencyId?: string },
  token = stack.adminToken,
): Promise<TestAccount> {
  const email = `op-${randomUUID().slice(0, 8)}@example.org`;
  const password = `pass-${randomUUID()}`;
  const res = await request('POST', `${stack.url('admin')}/v1/operators`, {
    token,
    body: { email, displayName: 'Test Operator', password, ...body },
  });
  assert.equal(res.status, 201, res.text);
  return { id: String(res.body['id']), email, password };
}

/** Signs in and returns the session token. */
export async function signIn(stack: TestStack, account: { email: string; password: string }): Promise<string> {
  const res = await request('POST', `${stack.url('admin')}/v1/sessions`, { body: { email: account.email, password: account.password } });
  assert.equal(res.status, 201, res.text);
  return String(res.body['token']);
}

export interface AuditEvent {
  id: string;
  action: string;
  outcome: string;
  reason: string | null;
  objectType: string | null;
  objectId: string | null;
  agencyId: string | null;
  actor: { kind: string; id: string | null; agencyId: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

/** Audit events matching `query`, newest first, as the bootstrap operator sees them. */
export async function auditEvents(stack: TestStack, query: Record<string, string> = {}, token = stack.adminToken): Promise<AuditEvent[]> {
  const res = await request('GET', `${stack.url('admin')}/v1/audit-events?${new URLSearchParams({ limit: '200', ...query }).toString()}`, {
    token,
  });
  assert.equal(res.status, 200, res.text);
  return res.body['items'] as AuditEvent[];
}
