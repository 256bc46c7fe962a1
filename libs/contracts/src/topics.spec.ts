import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TOPIC_NAMESPACE, topicNames } from './topics';

const AGENCY = '3f2b8c1e-7d4a-4b9e-8f01-2a3b4c5d6e7f';
const OTHER_AGENCY = '00000000-0000-4000-8000-000000000000';

describe('topicNames: names', () => {
  it('uses the liaison namespace by default', () => {
    assert.equal(DEFAULT_TOPIC_NAMESPACE, 'liaison');
    const topics = topicNames();
    assert.equal(topics.ingest, 'liaison.ingest.v1');
    assert.equal(topics.deadLetter, 'liaison.deadletter.v1');
    assert.equal(topics.delivery(AGENCY), `liaison.delivery.${AGENCY}.v1`);
  });

  it('prefixes every name with the given namespace', () => {
    const topics = topicNames('suite-7');
    assert.equal(topics.ingest, 'suite-7.ingest.v1');
    assert.equal(topics.deadLetter, 'suite-7.deadletter.v1');
    assert.equal(topics.delivery(AGENCY), `suite-7.delivery.${AGENCY}.v1`);
  });

  it('gives distinct agencies distinct delivery topics, and none collides with ingest or dead-letter', () => {
    const topics = topicNames();
    const names = [topics.ingest, topics.deadLetter, topics.delivery(AGENCY), topics.delivery(OTHER_AGENCY)];
    assert.equal(new Set(names).size, names.length);
  });
});

describe('topicNames: agencyOfDeliveryTopic', () => {
  it('returns the agency id of its own namespace’s delivery topic', () => {
    const topics = topicNames();
    assert.equal(topics.agencyOfDeliveryTopic(topics.delivery(AGENCY)), AGENCY);
    assert.equal(topics.agencyOfDeliveryTopic(topics.delivery(OTHER_AGENCY)), OTHER_AGENCY);
  });

  it('round-trips delivery(agency) for a namespace with regular-expression characters', () => {
    const topics = topicNames('a.b+c');
    assert.equal(topics.agencyOfDeliveryTopic(topics.delivery(AGENCY)), AGENCY);
    // The "." in the namespace is literal, not "any character".
    assert.equal(topics.agencyOfDeliveryTopic(`aXb+c.delivery.${AGENCY}.v1`), undefined);
    assert.equal(topics.agencyOfDeliveryTopic(`a.bbc.delivery.${AGENCY}.v1`), undefined);
  });

  it('does not recognise another namespace’s delivery topics', () => {
    const mine = topicNames('liaison');
    for (const other of ['suite-7', 'liaison-test', 'test-liaison', 'xliaison', 'liaiso']) {
      assert.equal(mine.agencyOfDeliveryTopic(topicNames(other).delivery(AGENCY)), undefined, other);
    }
    assert.equal(topicNames('liaison-test').agencyOfDeliveryTopic(mine.delivery(AGENCY)), undefined);
  });

  it('does not recognise the ingest or dead-letter topic', () => {
    const topics = topicNames();
    assert.equal(topics.agencyOfDeliveryTopic(topics.ingest), undefined);
    assert.equal(topics.agencyOfDeliveryTopic(topics.deadLetter), undefined);
  });

  it('does not recognise a delivery topic of another version, or with extra text around it', () => {
    const topics = topicNames();
    const name = topics.delivery(AGENCY);
    for (const topic of [
      `liaison.delivery.${AGENCY}.v2`,
      `liaison.delivery.${AGENCY}`,
      `${name}.retry`,
      `x.${name}`,
      ` ${name}`,
      `${name}\n`,
      `liaison.delivery..${AGENCY}.v1`,
    ]) {
      assert.equal(topics.agencyOfDeliveryTopic(topic), undefined, JSON.stringify(topic));
    }
  });

  it('does not recognise a delivery topic whose agency id is of the wrong length or alphabet', () => {
    const topics = topicNames();
    for (const id of [
      '',
      AGENCY.slice(1), // 35 characters
      `${AGENCY}0`, // 37 characters
      AGENCY.toUpperCase(), // agency ids are lower-case UUIDs
      AGENCY.replace('3f2b', '3g2b'), // not hex
      'not-an-agency',
    ]) {
      assert.equal(topics.agencyOfDeliveryTopic(`liaison.delivery.${id}.v1`), undefined, JSON.stringify(id));
    }
  });

  // Agency ids are UUIDs (uuid primary keys); the delivery consumer subscribes to whatever this
  // recognises and writes the id into uuid columns. A 36-character run of hex digits and dashes
  // that is not 8-4-4-4-12 is not an agency id.
  it('does not recognise a delivery topic whose 36-character agency id is not a UUID', () => {
    const topics = topicNames();
    for (const id of ['-'.repeat(36), '0'.repeat(36), '3f2b8c1e7d4a4b9e8f012a3b4c5d6e7f----', '3f2b8c1e-7d4a-4b9e-8f012a3b4c5d-6e7f']) {
      assert.equal(topics.agencyOfDeliveryTopic(`liaison.delivery.${id}.v1`), undefined, JSON.stringify(id));
    }
  });
});
