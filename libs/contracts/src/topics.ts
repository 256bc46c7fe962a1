/**
 * Topic names: the one place they are spelled. Every name is versioned; a breaking change to a
 * topic's key, headers or value gets a new version, never an in-place change.
 *
 * The namespace lets several independent deployments (or test suites) share one Kafka cluster.
 */
export const DEFAULT_TOPIC_NAMESPACE = 'liaison';

export interface TopicNames {
  /** Validated events from the gateway; key = CloudEvents subject. */
  readonly ingest: string;
  /** Messages a consumer could not decode or validate, with the reason in headers. */
  readonly deadLetter: string;
  /**
   * Compacted: the current state of every configuration object (agency, sharing group, policy,
   * feed) the admin API manages; key = `<kind>:<id>`, value = JSON state or a tombstone
   * (see config-records.ts). One partition, so every reader sees one order.
   */
  readonly config: string;
  /** One agency's entitled (already redacted) copies; key = CloudEvents subject. */
  delivery(agencyId: string): string;
  /** Recognises a delivery topic name and returns the agency id it belongs to. */
  agencyOfDeliveryTopic(topic: string): string | undefined;
}

export function topicNames(namespace: string = DEFAULT_TOPIC_NAMESPACE): TopicNames {
  const deliveryPattern = new RegExp(
    `^${escapeRegExp(namespace)}\\.delivery\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.v1$`,
  );
  return {
    ingest: `${namespace}.ingest.v1`,
    deadLetter: `${namespace}.deadletter.v1`,
    config: `${namespace}.config.v1`,
    delivery: (agencyId: string) => `${namespace}.delivery.${agencyId}.v1`,
    agencyOfDeliveryTopic: (topic: string) => deliveryPattern.exec(topic)?.[1],
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
