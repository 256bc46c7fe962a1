import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { serviceAcls, serviceAclsOf, toAclEntries, type AclGrant } from './kafka-acls';
import { SERVICE_PRINCIPALS } from './kafka-principals';

const ns = 'unit-ns';
const topics = topicNames(ns);

function grantsOn(grants: AclGrant[], resource: AclGrant['resource'], name: string): string[] {
  return grants.filter((g) => g.resource === resource && g.name === name).flatMap((g) => [...g.operations]);
}

describe('serviceAcls: least privilege per service', () => {
  it('gives the gateway WRITE on the ingest topic and idempotent writes, nothing else', () => {
    const gateway = serviceAclsOf(ns, 'gateway');
    assert.deepEqual(
      gateway.map((g) => `${g.resource}:${g.name}:${g.operations.join('+')}`),
      [`topic:${topics.ingest}:write`, 'cluster:kafka-cluster:idempotent-write'],
    );
  });

  it('never lets a service both read and write the same topic, nor create the fixed topics', () => {
    for (const service of Object.keys(SERVICE_PRINCIPALS) as (keyof typeof SERVICE_PRINCIPALS)[]) {
      const grants = serviceAclsOf(ns, service);
      for (const name of new Set(grants.filter((g) => g.resource === 'topic').map((g) => g.name))) {
        const ops = grantsOn(grants, 'topic', name);
        assert.ok(!(ops.includes('read') && ops.includes('write')), `${service} reads and writes ${name}`);
      }
      for (const fixed of [topics.ingest, topics.deadLetter, topics.config]) {
        assert.ok(!grantsOn(grants, 'topic', fixed).includes('create'), `${service} may create ${fixed}`);
      }
    }
  });

  it('keeps every topic and group grant inside the namespace, and cluster ALTER with the admin service only', () => {
    for (const g of serviceAcls(ns)) {
      if (g.resource === 'cluster') continue;
      assert.ok(g.name.startsWith(`${ns}.`), `${g.principal} ${g.resource} ${g.name}`);
    }
    const alter = serviceAcls(ns).filter((g) => g.resource === 'cluster' && g.operations.includes('alter'));
    assert.deepEqual(
      alter.map((g) => g.principal),
      [SERVICE_PRINCIPALS.admin],
    );
  });

  it('gives only the router and delivery a consumer group, each its own', () => {
    const groups = serviceAcls(ns).filter((g) => g.resource === 'group');
    assert.deepEqual(groups.map((g) => `${g.principal} ${g.name} ${g.pattern}`).sort(), [
      `${SERVICE_PRINCIPALS.delivery} ${ns}.delivery literal`,
      `${SERVICE_PRINCIPALS.router} ${ns}.router literal`,
      `${SERVICE_PRINCIPALS.router} ${ns}.router-config. prefixed`,
    ]);
  });

  it('turns a grant into one ALLOW entry per operation for User:<principal> from any host', () => {
    const entries = toAclEntries([
      { principal: 'p', resource: 'topic', name: 'n.', pattern: 'prefixed', operations: ['read', 'describe'] },
    ]);
    assert.deepEqual(
      entries.map((e) => [e.principal, e.host, e.permissionType, e.resourcePatternType, e.operation]),
      [
        ['User:p', '*', AclPermissionTypes.ALLOW, ResourcePatternTypes.PREFIXED, AclOperationTypes.READ],
        ['User:p', '*', AclPermissionTypes.ALLOW, ResourcePatternTypes.PREFIXED, AclOperationTypes.DESCRIBE],
      ],
    );
  });
});
