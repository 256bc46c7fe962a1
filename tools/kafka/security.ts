/**
 * A cluster's security material, created once under `<dataDir>/security/` and reused on every start:
 *
 *   ca.pem                 the cluster's own certificate authority (clients trust it: KAFKA_TLS_CA_FILE)
 *   ca-key.pem             its private key (signs the broker certificate; nothing else)
 *   broker-keystore.pem    the broker's PKCS#8 private key and certificate chain (CN=liaison-broker,
 *                          SAN 127.0.0.1/localhost), a PEM keystore (KIP-651) for every listener
 *   credentials.json       the SCRAM-SHA-512 password of every principal: the broker, the bootstrap
 *                          admin and each service
 *   oauth-signing-key.pem  RSA private key (PKCS#8) the admin service signs partner OAUTHBEARER tokens with
 *   jwks.json              its public half, as the JWKS file the broker validates those tokens against
 *
 * The directory is 0700 and every file 0600. It is written to a temporary directory first and renamed
 * into place, so it is either absent or whole.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaSecuritySettings } from '@liaison/config';
import { BOOTSTRAP_ADMIN_PRINCIPAL, BROKER_PRINCIPAL, SERVICE_PRINCIPALS, type LiaisonService } from '@liaison/messaging';
import { run, tail } from './processes';

export interface SecurityMaterial {
  dir: string;
  caFile: string;
  caKeyFile: string;
  brokerKeystoreFile: string;
  credentialsFile: string;
  oauthSigningKeyFile: string;
  jwksFile: string;
  /** SCRAM-SHA-512 password of each principal, by principal name. */
  passwords: Readonly<Record<string, string>>;
}

/** What a kafkajs client needs to reach a secured cluster: `ssl` and `sasl` of its KafkaConfig. */
export type KafkaClientSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

const FILES = {
  ca: 'ca.pem',
  caKey: 'ca-key.pem',
  brokerKeystore: 'broker-keystore.pem',
  credentials: 'credentials.json',
  oauthSigningKey: 'oauth-signing-key.pem',
  jwks: 'jwks.json',
} as const;

/** Every principal with a SCRAM password in a cluster's material. */
export const SCRAM_PRINCIPALS: readonly string[] = [BROKER_PRINCIPAL, BOOTSTRAP_ADMIN_PRINCIPAL, ...Object.values(SERVICE_PRINCIPALS)];

export function securityDir(dataDir: string): string {
  return path.join(dataDir, 'security');
}

/** Reads the material of `dir` (a cluster's `security/`), or throws naming what is missing. */
export function loadSecurityMaterial(dir: string): SecurityMaterial {
  const file = (name: string): string => path.join(dir, name);
  for (const name of Object.values(FILES)) {
    if (!fs.existsSync(file(name))) throw new Error(`${file(name)} is missing: ${dir} is not a complete Kafka security directory`);
  }
  const passwords = JSON.parse(fs.readFileSync(file(FILES.credentials), 'utf8')) as Record<string, string>;
  for (const principal of SCRAM_PRINCIPALS) {
    if (typeof passwords[principal] !== 'string') throw new Error(`${file(FILES.credentials)} has no password for ${principal}`);
  }
  return {
    dir,
    caFile: file(FILES.ca),
    caKeyFile: file(FILES.caKey),
    brokerKeystoreFile: file(FILES.brokerKeystore),
    credentialsFile: file(FILES.credentials),
    oauthSigningKeyFile: file(FILES.oauthSigningKey),
    jwksFile: file(FILES.jwks),
    passwords: Object.freeze({ ...passwords }),
  };
}

/**
 * Returns the material under `<dataDir>/security/`, creating it first when there is none. The CA and
 * broker certificate come from the openssl CLI (checked by checkPrerequisites()); the signing key,
 * the JWKS and the passwords from Node's crypto.
 */
export async function ensureSecurityMaterial(dataDir: string, log: (line: string) => void = () => undefined): Promise<SecurityMaterial> {
  const dir = securityDir(dataDir);
  if (fs.existsSync(dir)) return loadSecurityMaterial(dir);
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
  try {
    log(`creating the cluster's CA, broker certificate, SCRAM passwords and partner-token signing key in ${dir}`);
    await createCertificates(tmp);
    writeSecret(
      path.join(tmp, FILES.credentials),
      JSON.stringify(Object.fromEntries(SCRAM_PRINCIPALS.map((p) => [p, newPassword()])), null, 2) + '\n',
    );
    const signing = createSigningKey();
    writeSecret(path.join(tmp, FILES.oauthSigningKey), signing.privateKeyPem);
    writeSecret(path.join(tmp, FILES.jwks), JSON.stringify(signing.jwks, null, 2) + '\n');
    for (const name of fs.readdirSync(tmp)) fs.chmodSync(path.join(tmp, name), 0o600);
    fs.renameSync(tmp, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return loadSecurityMaterial(dir);
}

/** TLS (trusting the cluster's CA) and SASL/SCRAM-SHA-512 as `principal`, for a kafkajs client. */
export function clientSecurity(material: SecurityMaterial, principal: string = BOOTSTRAP_ADMIN_PRINCIPAL): KafkaClientSecurity {
  const password = material.passwords[principal];
  if (password === undefined) throw new Error(`no SCRAM password for ${principal} in ${material.credentialsFile}`);
  const sasl: SASLOptions = { mechanism: 'scram-sha-512', username: principal, password };
  return { ssl: { ca: [fs.readFileSync(material.caFile, 'utf8')] }, sasl };
}

/** What createKafkaClient (libs/messaging) takes, for a client acting as `principal` with SCRAM-SHA-512. */
export function securitySettingsFor(material: SecurityMaterial, principal: string = BOOTSTRAP_ADMIN_PRINCIPAL): KafkaSecuritySettings {
  const password = material.passwords[principal];
  if (password === undefined) throw new Error(`no SCRAM password for ${principal} in ${material.credentialsFile}`);
  return { tlsCaFile: material.caFile, sasl: { mechanism: 'scram-sha-512', username: principal, password }, insecureAllowed: false };
}

/** CommonConfig's Kafka variables (libs/config) for a client acting as `principal` with SCRAM-SHA-512. */
export function kafkaEnvFor(material: SecurityMaterial, principal: string): Record<string, string> {
  const password = material.passwords[principal];
  if (password === undefined) throw new Error(`no SCRAM password for ${principal} in ${material.credentialsFile}`);
  return {
    KAFKA_TLS_CA_FILE: material.caFile,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: principal,
    KAFKA_SASL_PASSWORD: password,
  };
}

/**
 * The environment a Liaison service reads its Kafka security from, as that service's own
 * principal. The admin service also gets the partner-token signing key.
 */
export function serviceKafkaEnv(material: SecurityMaterial, service: LiaisonService): Record<string, string> {
  const env = kafkaEnvFor(material, SERVICE_PRINCIPALS[service]);
  if (service === 'admin') env['KAFKA_OAUTH_SIGNING_KEY_FILE'] = material.oauthSigningKeyFile;
  return env;
}

function newPassword(): string {
  // base64url: no character that Kafka's `--add-scram` or JAAS syntax would need quoted.
  return randomBytes(24).toString('base64url');
}

function writeSecret(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  const res = await run('openssl', args, cwd);
  if (res.code !== 0) throw new Error(`openssl ${args[0]} failed (exit ${res.code}):\n${tail(res.output, 20)}`);
}

async function createCertificates(dir: string): Promise<void> {
  await openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    FILES.caKey,
    '-out',
    FILES.ca,
    '-days',
    '3650',
    '-subj',
    `/CN=Liaison local Kafka CA ${randomBytes(4).toString('hex')}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'broker-key.pem',
    '-out',
    'broker.csr',
    '-subj',
    `/CN=${BROKER_PRINCIPAL}`,
  ]);
  fs.writeFileSync(
    path.join(dir, 'broker.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      // Server on every listener, client towards the controllers (mutual TLS on the controller listener).
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'broker.csr',
    '-CA',
    FILES.ca,
    '-CAkey',
    FILES.caKey,
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    '825',
    '-sha256',
    '-extfile',
    'broker.ext',
    '-out',
    'broker.pem',
  ]);
  const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
  // Kafka's PEM keystore: the (unencrypted PKCS#8) key, then the chain from the leaf up.
  writeSecret(path.join(dir, FILES.brokerKeystore), read('broker-key.pem') + read('broker.pem') + read(FILES.ca));
  for (const name of ['broker-key.pem', 'broker.csr', 'broker.ext', 'broker.pem']) fs.rmSync(path.join(dir, name));
}

/** An RSA key for RS256 partner tokens, and a JWKS holding its public half under its RFC 7638 thumbprint. */
function createSigningKey(): { privateKeyPem: string; jwks: { keys: Record<string, string>[] } } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privateKeyPem, jwks: jwksOf(privateKeyPem) };
}

/** The JWKS (one RS256 key, kid = RFC 7638 thumbprint) of an RSA private or public key in PEM. */
export function jwksOf(pem: string): { keys: Record<string, string>[] } {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error('not an RSA key');
  // RFC 7638: the required members in lexicographic order, no whitespace, SHA-256, base64url.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n }))
    .digest('base64url');
  return { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: jwk.n, e: jwk.e }] };
}
