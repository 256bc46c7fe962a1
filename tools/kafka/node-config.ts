/**
 * One node's files and ports, and the broker configuration it runs with: a KRaft combined
 * broker+controller whose client listener requires TLS and SASL and whose controller listener
 * requires mutual TLS, with the StandardAuthorizer denying whatever no ACL allows.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { BOOTSTRAP_ADMIN_PRINCIPAL, BROKER_PRINCIPAL, PARTNER_TOKEN_AUDIENCE, PARTNER_TOKEN_ISSUER } from '@liaison/messaging';
import { javaBin } from './artifacts';
import { run, tail } from './processes';
import type { SecurityMaterial } from './security';

export const HOST = '127.0.0.1';

/** Where a node keeps its files, and the ports it listens on. */
export interface NodeLayout {
  index: number;
  dir: string;
  props: string;
  log4j: string;
  toolsLog4j: string;
  logDir: string;
  serverLog: string;
  stdoutLog: string;
  clientPort: number;
  controllerPort: number;
}

/** Node i lives in <dataDir>/node-<i>/ and listens on basePort+2i (clients) and basePort+2i+1 (controller). */
export function nodeLayout(dataDir: string, index: number, basePort: number): NodeLayout {
  const dir = path.join(dataDir, `node-${index}`);
  return {
    index,
    dir,
    props: path.join(dir, 'server.properties'),
    log4j: path.join(dir, 'log4j.properties'),
    toolsLog4j: path.join(dir, 'log4j-tools.properties'),
    logDir: path.join(dir, 'data'),
    serverLog: path.join(dir, 'server.log'),
    stdoutLog: path.join(dir, 'stdout.log'),
    clientPort: basePort + index * 2,
    controllerPort: basePort + index * 2 + 1,
  };
}

export function isFormatted(node: NodeLayout): boolean {
  return fs.existsSync(path.join(node.logDir, 'meta.properties'));
}

/** JAAS values are double-quoted strings; the generated passwords are base64url, this guards the rest. */
function jaasString(value: string): string {
  if (!/^[A-Za-z0-9._~-]+$/.test(value)) throw new Error('a JAAS value holds characters that would need escaping');
  return `"${value}"`;
}

/**
 * The listeners and their security:
 * - CLIENT (SASL_SSL): every client, with SCRAM-SHA-512 (Liaison's services and operators) or
 *   OAUTHBEARER (partner agencies: RS256 JWTs the admin service signs, checked against jwks.json).
 *   Brokers replicate over it too, as the broker principal with SCRAM (users exist from format time).
 * - CONTROLLER (SSL, client certificate required): the KRaft quorum and broker→controller traffic,
 *   on loopback; the certificate's CN is the principal, so it is the broker principal, a super user.
 */
function securityProperties(node: NodeLayout, security: SecurityMaterial): Record<string, string> {
  const brokerPassword = security.passwords[BROKER_PRINCIPAL];
  if (brokerPassword === undefined) throw new Error(`${security.credentialsFile} has no password for ${BROKER_PRINCIPAL}`);
  return {
    listeners: `CLIENT://${HOST}:${node.clientPort},CONTROLLER://${HOST}:${node.controllerPort}`,
    'advertised.listeners': `CLIENT://${HOST}:${node.clientPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'CLIENT',
    'listener.security.protocol.map': 'CLIENT:SASL_SSL,CONTROLLER:SSL',
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': security.brokerKeystoreFile,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': security.caFile,
    'listener.name.controller.ssl.client.auth': 'required',
    // "CN=liaison-broker" → "liaison-broker": the same principal as the broker's SCRAM user.
    'ssl.principal.mapping.rules': 'RULE:^CN=([^,]+)$/$1/,DEFAULT',
    'listener.name.client.sasl.enabled.mechanisms': 'SCRAM-SHA-512,OAUTHBEARER',
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    'listener.name.client.scram-sha-512.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username=${jaasString(BROKER_PRINCIPAL)} password=${jaasString(brokerPassword)};`,
    'listener.name.client.oauthbearer.sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
    'listener.name.client.oauthbearer.sasl.server.callback.handler.class':
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler',
    'sasl.oauthbearer.jwks.endpoint.url': jwksUrl(security),
    'sasl.oauthbearer.expected.issuer': PARTNER_TOKEN_ISSUER,
    'sasl.oauthbearer.expected.audience': PARTNER_TOKEN_AUDIENCE,
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': 'false',
    'super.users': `User:${BROKER_PRINCIPAL};User:${BOOTSTRAP_ADMIN_PRINCIPAL}`,
  };
}

/** The JVM system properties the broker needs for its security settings. */
export function securityJvmProperties(security: SecurityMaterial): string[] {
  // The one URL the OAUTHBEARER validator may read (3.9.1 allows any by default; 4.0 none).
  return [`-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${jwksUrl(security)}`];
}

/** The broker reads jwks.json once, at start-up (a file JWKS is not refreshed). */
function jwksUrl(security: SecurityMaterial): string {
  return pathToFileURL(path.resolve(security.jwksFile)).href;
}

/**
 * Writes the node's server.properties (0600: it holds the broker's SCRAM password) and its log4j
 * files; rewritten on every start.
 */
export function writeNodeConfig(node: NodeLayout, nodes: number, voters: string, security: SecurityMaterial): void {
  const single = nodes === 1;
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': node.index + 1,
    'controller.quorum.voters': voters,
    ...securityProperties(node, security),
    'log.dirs': node.logDir,
    'num.partitions': 3,
    'auto.create.topics.enable': false,
    'group.initial.rebalance.delay.ms': 0,
    'default.replication.factor': single ? 1 : 3,
    'min.insync.replicas': single ? 1 : 2,
    'offsets.topic.replication.factor': single ? 1 : 3,
    'transaction.state.log.replication.factor': single ? 1 : 3,
    'transaction.state.log.min.isr': single ? 1 : 2,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.retention.hours': 168,
    'log.segment.bytes': 64 * 1024 * 1024,
    'delete.topic.enable': true,
    // Faster fencing of a dead node (default 9000/2000): leadership moves in ~6 s, inside the
    // ~8.5 s that a kafkajs producer's default retries last, so a send during a failover succeeds.
    ...(single ? {} : { 'broker.session.timeout.ms': 6000, 'broker.heartbeat.interval.ms': 1500 }),
  };
  const text =
    `# Generated by tools/kafka/node-config.ts (node ${node.index} of ${nodes}); rewritten on every start.\n` +
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') +
    '\n';
  fs.writeFileSync(node.props, text, { mode: 0o600 });
  fs.chmodSync(node.props, 0o600); // an older file keeps its mode otherwise

  const esc = (p: string) => p.replace(/\\/g, '/');
  const log4j = [
    '# Generated by tools/kafka/node-config.ts. Everything INFO+ goes to server.log; only WARN+ to the console.',
    'log4j.rootLogger=INFO, file, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.Threshold=WARN',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    `log4j.appender.stdout.layout.ConversionPattern=[%d] %p [node ${node.index}] %m (%c)%n`,
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${esc(node.serverLog)}`,
    'log4j.appender.file.MaxFileSize=20MB',
    'log4j.appender.file.MaxBackupIndex=3',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka=INFO',
    'log4j.logger.org.apache.kafka=INFO',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.kafka.network.RequestChannel$=WARN',
    'log4j.logger.state.change.logger=WARN',
    // Denied requests are logged at INFO: into server.log (the console shows WARN and above only).
    'log4j.logger.kafka.authorizer.logger=INFO',
    'log4j.logger.org.apache.zookeeper=WARN',
    '',
  ].join('\n');
  fs.writeFileSync(node.log4j, log4j);
  // For StorageTool: console only, so server.log holds nothing but the broker's own log.
  fs.writeFileSync(
    node.toolsLog4j,
    [
      'log4j.rootLogger=WARN, stderr',
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target=System.err',
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
}

/**
 * Formats the node's storage with the SCRAM-SHA-512 users of `passwords` in its bootstrap metadata
 * (KIP-900): they exist before the first broker accepts a connection, so inter-broker SCRAM works
 * from the start. A formatted directory is left alone.
 */
export async function formatNode(
  classpath: string,
  node: NodeLayout,
  clusterId: string,
  passwords: Readonly<Record<string, string>>,
): Promise<void> {
  const scram = Object.entries(passwords).flatMap(([name, password]) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${name},password=${password}]`,
  ]);
  const res = await run(javaBin(), [
    `-Dlog4j.configuration=file:${node.toolsLog4j}`,
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    node.props,
    '--ignore-formatted',
    ...scram,
  ]);
  if (res.code !== 0) {
    throw new Error(`formatting node ${node.index} (${node.logDir}) failed (exit ${res.code}):\n${tail(res.output, 30)}`);
  }
}
