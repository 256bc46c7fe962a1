/**
 * Who talks to Kafka, by name: the one place the principals and the partner-token claims are spelled.
 * The broker configuration (tools/kafka), the ACLs (kafka-acls.ts), the launchers and the admin
 * service (which signs partner tokens) all read them from here.
 */

/** The Kafka principal (SCRAM-SHA-512 user name) of each Liaison service. */
export const SERVICE_PRINCIPALS = {
  gateway: 'liaison-gateway',
  router: 'liaison-router',
  delivery: 'liaison-delivery',
  admin: 'liaison-admin',
} as const;

export type LiaisonService = keyof typeof SERVICE_PRINCIPALS;

/**
 * The operator's break-glass principal: a super user that creates the namespaces' topics and ACLs
 * (tools/stack, the test harness, the compose init job) and nothing else at run time.
 */
export const BOOTSTRAP_ADMIN_PRINCIPAL = 'liaison-bootstrap-admin';

/**
 * The brokers' and controllers' own principal: the CN of the broker certificate on the controller
 * listener (mutual TLS) and the SCRAM user of inter-broker traffic. A super user.
 */
export const BROKER_PRINCIPAL = 'liaison-broker';

/** `iss` of the OAUTHBEARER tokens the admin service issues to partners; the broker accepts no other. */
export const PARTNER_TOKEN_ISSUER = 'urn:liaison:admin';

/** `aud` of the partner tokens; the broker accepts no other. */
export const PARTNER_TOKEN_AUDIENCE = 'urn:liaison:kafka';
