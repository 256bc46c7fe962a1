import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { repoRoot } from '../../tools/kafka/cluster';
import { request } from './http';
import type { TestStack } from './stack';

export interface TestAgency {
  id: string;
  ori: string;
}

let oriCounter = 0;

/** A unique, valid ORI for a test agency. */
export function testOri(): string {
  oriCounter += 1;
  return `ZZ${randomUUID().replace(/-/g, '').slice(0, 3).toUpperCase()}${String(oriCounter).padStart(4, '0')}`;
}

export async function createAgency(stack: TestStack, name: string, kind = 'local'): Promise<TestAgency> {
  const res = await request('POST', `${stack.url('admin')}/v1/agencies`, { token: stack.adminToken, body: { ori: testOri(), name, kind } });
  assert.equal(res.status, 201, res.text);
  return { id: String(res.body['id']), ori: String(res.body['ori']) };
}

export async function issueKey(stack: TestStack, agency: TestAgency, scopes: string[]): Promise<string> {
  const res = await request('POST', `${stack.url('admin')}/v1/agencies/${agency.id}/api-keys`, {
    token: stack.adminToken,
    body: { label: 'test', scopes },
  });
  assert.equal(res.status, 201, res.text);
  return String(res.body['key']);
}

export async function createAgreement(stack: TestStack, grantor: TestAgency, grantee: TestAgency): Promise<string> {
  const res = await request('POST', `${stack.url('admin')}/v1/agencies/${grantor.id}/sharing-agreements`, {
    token: stack.adminToken,
    body: { granteeAgencyId: grantee.id, purpose: 'test: joint investigations' },
  });
  assert.equal(res.status, 201, res.text);
  return String(res.body['id']);
}

/** The committed example of `type`, with a fresh id (and subject, unless given). */
export function exampleEvent(type: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const example = JSON.parse(readFileSync(join(repoRoot(), 'docs', 'examples', `${type}.json`), 'utf8')) as Record<string, unknown>;
  return { ...example, id: randomUUID(), subject: `INC-${randomUUID()}`, ...overrides };
}
