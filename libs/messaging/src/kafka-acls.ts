import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type AclEntry,
  type Kafka,
} from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { SERVICE_PRINCIPALS, type LiaisonService } from './kafka-principals';
import { compactedTopic, ensureTopics } from './topic-admin';

/** What a principal may do on one resource (or resource-name prefix). Everything not granted is denied. */
export interface AclGrant {
  principal: string;
  resource: 'topic' | 'group' | 'cluster';
  /** Topic or group name (or its prefix); `kafka-cluster` for the cluster. */
  name: string;
  pattern: 'literal' | 'prefixed';
  operations: readonly AclOperation[];
}

export type AclOperation = 'read' | 'write' | 'create' | 'describe' | 'alter' | 'idempotent-write';

const CLUSTER = 'kafka-cluster';

/**
 * The least-privilege ACLs of every Liaison service in one topic namespace (docs/security.md lists
 * them with the reasons). The namespace's ingest, dead-letter and configuration topics are created
 * by provisionNamespace(), so no service may create them; delivery topics appear with agencies, so
 * the admin service (on agency creation) and the router (a topic it has not seen yet) may create those.
 */
export function serviceAcls(namespace: string): AclGrant[] {
  const topics = topicNames(namespace);
  const deliveryPrefix = `${namespace}.delivery.`;
  const p = SERVICE_PRINCIPALS;
  const topic = (principal: string, name: string, ...operations: AclOperation[]): AclGrant => ({
    principal,
    resource: 'topic',
    name,
    pattern: 'literal',
    operations,
  });
  const deliveryTopics = (principal: string, ...operations: AclOperation[]): AclGrant => ({
    principal,
    resource: 'topic',
    name: deliveryPrefix,
    pattern: 'prefixed',
    operations,
  });
  const group = (principal: string, name: string, pattern: AclGrant['pattern']): AclGrant => ({
    principal,
    resource: 'group',
    name,
    pattern,
    operations: ['read'],
  });
  const cluster = (principal: string, ...operations: AclOperation[]): AclGrant => ({
    principal,
    resource: 'cluster',
    name: CLUSTER,
    pattern: 'literal',
    operations,
  });
  return [
    // gateway: publishes accepted events (idempotent producer) to the ingest topic, and nothing else.
    topic(p.gateway, topics.ingest, 'write'),
    cluster(p.gateway, 'idempotent-write'),
    // router: reads ingest and the configuration, writes the agencies' copies and dead letters.
    topic(p.router, topics.ingest, 'read'),
    topic(p.router, topics.config, 'read'),
    topic(p.router, topics.deadLetter, 'write'),
    deliveryTopics(p.router, 'write', 'create'),
    group(p.router, `${namespace}.router`, 'literal'),
    // Each router instance reads the configuration in a throw-away group of its own.
    group(p.router, `${namespace}.router-config.`, 'prefixed'),
    cluster(p.router, 'idempotent-write'),
    // delivery: reads every agency's copies into the inbox; undecodable ones go to the dead letters.
    deliveryTopics(p.delivery, 'read'),
    topic(p.delivery, topics.deadLetter, 'write'),
    group(p.delivery, `${namespace}.delivery`, 'literal'),
    cluster(p.delivery, 'idempotent-write'),
    // admin: publishes the configuration (outbox relay), creates an agency's delivery topic, and
    // manages partners' ACLs (CreateAcls/DeleteAcls need ALTER, DescribeAcls DESCRIBE on the cluster).
    topic(p.admin, topics.config, 'write'),
    deliveryTopics(p.admin, 'create', 'describe'),
    cluster(p.admin, 'idempotent-write', 'alter', 'describe'),
  ];
}

/** The grants of one service only (docs, tests). */
export function serviceAclsOf(namespace: string, service: LiaisonService): AclGrant[] {
  return serviceAcls(namespace).filter((g) => g.principal === SERVICE_PRINCIPALS[service]);
}

const OPERATIONS: Record<AclOperation, AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  describe: AclOperationTypes.DESCRIBE,
  alter: AclOperationTypes.ALTER,
  'idempotent-write': AclOperationTypes.IDEMPOTENT_WRITE,
};

const RESOURCES: Record<AclGrant['resource'], AclResourceTypes> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
};

/** The grants as kafkajs ACL entries: one ALLOW entry per operation, from any host. */
export function toAclEntries(grants: readonly AclGrant[]): AclEntry[] {
  return grants.flatMap((g) =>
    g.operations.map((operation) => ({
      resourceType: RESOURCES[g.resource],
      resourceName: g.name,
      resourcePatternType: g.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
      principal: `User:${g.principal}`,
      host: '*',
      operation: OPERATIONS[operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

/** Creates the ACLs of every service for `namespace` (creating an existing ACL changes nothing). Needs ALTER on the cluster. */
export async function grantServiceAcls(admin: Admin, namespace: string): Promise<void> {
  await admin.createAcls({ acl: toAclEntries(serviceAcls(namespace)) });
}

/**
 * Makes a namespace ready for the services, as a principal allowed to (the bootstrap admin): the
 * ingest, dead-letter and compacted configuration topics, and every service's ACLs.
 */
export async function provisionNamespace(kafka: Kafka, namespace: string, options: { partitions: number }): Promise<void> {
  const topics = topicNames(namespace);
  await ensureTopics(kafka, [
    { topic: topics.ingest, numPartitions: options.partitions },
    { topic: topics.deadLetter, numPartitions: options.partitions },
    compactedTopic(topics.config),
  ]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await grantServiceAcls(admin, namespace);
  } finally {
    await admin.disconnect();
  }
}
