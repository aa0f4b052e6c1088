/**
 * The part of @eventstore/db-client (v6) the adapter uses, as an interface: the real client
 * satisfies it unchanged (checked below), and so does the in-memory fake the tests run on
 * (fake-client.ts), which is how everything the adapter decides is tested without a server.
 */
import {
  EventStoreDBClient,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';

export interface EsdbSubscription extends AsyncIterable<AllStreamResolvedEvent> {
  unsubscribe(): Promise<void>;
}

export interface EsdbClient {
  /** Always called with an explicit expectation (NO_STREAM or a revision), never ANY. */
  appendToStream(streamName: string, events: EventData[], options: { expectedRevision: AppendExpectedRevision }): Promise<AppendResult>;
  /** Throws StreamNotFoundError while iterating when the stream has no events. */
  readStream(streamName: string, options: ReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options: SubscribeToAllOptions): EsdbSubscription;
  dispose(): Promise<void>;
}

/**
 * A client for a connection string: `esdb://host:2113?tls=false` for one node,
 * `esdb+discover://node1:2113,node2:2113,node3:2113` to find the cluster's leader by gossip.
 */
export function connectEventStoreDb(connectionString: string): EsdbClient {
  return EventStoreDBClient.connectionString(connectionString);
}
