/**
 * docker-compose.yml and docker/Dockerfile, read as data: the services exist, EventStoreDB is
 * pinned (never `latest`), ports and volumes are where the README says, the cluster sits behind its
 * profile, and every EVENTSTORE_URL in the file is one the API would accept.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseStoreConfig } from '../../src/store/from-env.js';

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
};
type Compose = { services: Record<string, Service>; volumes: Record<string, unknown> };

const root = fileURLToPath(new URL('../../', import.meta.url));
const text = readFileSync(`${root}docker-compose.yml`, 'utf8');
const compose = parse(text) as Compose;
const dockerfile = readFileSync(`${root}docker/Dockerfile`, 'utf8');
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const nodes = ['esdb-node1', 'esdb-node2', 'esdb-node3'];
const eventStores = ['eventstore', ...nodes];

describe('docker-compose.yml', () => {
  it('defines the single node, the API, three cluster nodes and the cluster API', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'api-cluster', 'esdb-node1', 'esdb-node2', 'esdb-node3', 'eventstore']);
  });

  it('pins one EventStoreDB image to a release, never latest', () => {
    const images = new Set(eventStores.map((name) => service(name).image));
    expect(images.size).toBe(1);
    const [image] = [...images];
    expect(image).toMatch(/^eventstore\/eventstore:\d+\.\d+\.\d+$/);
    expect(text).not.toMatch(/:latest\b/);
  });

  it('runs every node insecure only with a development-only warning, and no projections', () => {
    for (const name of eventStores) {
      expect(service(name).environment).toMatchObject({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None' });
    }
    expect(text.match(/EVENTSTORE_INSECURE: "true" +# DEVELOPMENT ONLY/g)).toHaveLength(eventStores.length);
    expect(text).toMatch(/INSECURE MODE, DEVELOPMENT ONLY/);
  });

  it('publishes 2113 for the single node and the API on 8080', () => {
    expect(service('eventstore').ports).toEqual(['2113:2113']);
    expect(service('api').ports).toEqual(['8080:8080']);
    expect(nodes.map((name) => service(name).ports?.[0]?.endsWith(':2113'))).toEqual([true, true, true]);
  });

  it('keeps every node\'s data in its own named volume, and the API\'s key and inbox in one too', () => {
    const dataVolumes = eventStores.map((name) => service(name).volumes?.find((volume) => volume.endsWith(':/var/lib/eventstore'))?.split(':')[0]);
    expect(new Set(dataVolumes).size).toBe(eventStores.length);
    for (const volume of dataVolumes) expect(Object.keys(compose.volumes)).toContain(volume);
    for (const name of ['api', 'api-cluster']) expect(service(name).volumes).toEqual([expect.stringMatching(/^[\w-]+:\/app\/data$/)]);
  });

  it('builds the API from the repository and points it at the single node', () => {
    const api = service('api');
    expect(api.build).toEqual({ context: '.', dockerfile: 'docker/Dockerfile' });
    expect(api.environment).toMatchObject({ CUSTODY_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false', CUSTODY_HOST: '0.0.0.0' });
    expect(api.depends_on).toEqual({ eventstore: { condition: 'service_healthy' } });
    expect(api.profiles).toBeUndefined();
    expect(parseStoreConfig(api.environment!)).toMatchObject({ kind: 'eventstoredb' });
  });

  it('puts a three-node gossip cluster and its API behind the cluster profile', () => {
    for (const name of [...nodes, 'api-cluster']) expect(service(name).profiles).toEqual(['cluster']);
    expect(service('eventstore').profiles).toBeUndefined();
    for (const name of nodes) {
      const env = service(name).environment!;
      expect(env.EVENTSTORE_CLUSTER_SIZE).toBe('3');
      expect(env.EVENTSTORE_GOSSIP_SEED!.split(',').sort()).toEqual(nodes.filter((other) => other !== name).map((other) => `${other}:2113`));
    }
    const url = service('api-cluster').environment!.EVENTSTORE_URL!;
    expect(url).toMatch(/^esdb\+discover:\/\//);
    for (const name of nodes) expect(url).toContain(`${name}:2113`);
    expect(parseStoreConfig(service('api-cluster').environment!)).toEqual({ kind: 'eventstoredb', connectionString: url });
  });
});

describe('docker/Dockerfile', () => {
  it('builds on Node 20 with npm ci and starts the API with npm start', () => {
    expect(dockerfile).toMatch(/^FROM node:20[-\w.]* AS deps$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^CMD \["npm", "start"\]$/m);
    expect(dockerfile).toMatch(/CUSTODY_HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
