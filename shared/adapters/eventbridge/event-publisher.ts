/**
 * EventPublisher on EventBridge PutEvents (10 entries a request). Each event carries its own id in
 * the detail, stable across re-publishing, so subscribers can drop the duplicates an at-least-once
 * outbox produces.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { OutboundEvent } from '../../domain/model.js';
import type { EventPublisher, PublishResult } from '../../ports/events.js';
import { classifyAwsError } from '../aws-errors.js';

const MAX_ENTRIES = 10;

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly source: string,
  ) {}

  async publish(events: OutboundEvent[]): Promise<PublishResult> {
    const published: OutboundEvent[] = [];
    const failed: OutboundEvent[] = [];
    let error: string | undefined;
    for (let i = 0; i < events.length; i += MAX_ENTRIES) {
      const chunk = events.slice(i, i + MAX_ENTRIES);
      try {
        const out = await this.client.send(
          new PutEventsCommand({
            Entries: chunk.map((e) => ({
              EventBusName: this.busName,
              Source: this.source,
              DetailType: e.type,
              Time: new Date(e.at),
              Detail: JSON.stringify({ eventId: e.eventId, at: e.at, ...e.detail }),
            })),
          }),
        );
        chunk.forEach((e, n) => (out.Entries?.[n]?.EventId ? published : failed).push(e));
        const firstFailure = out.Entries?.find((entry) => entry.ErrorCode);
        if (firstFailure) error = `${firstFailure.ErrorCode}: ${firstFailure.ErrorMessage ?? ''}`;
      } catch (e) {
        // Not thrown: the events stay in the outbox and the relay tries again.
        failed.push(...chunk);
        error = classifyAwsError(e, 'EventBridge PutEvents').message;
      }
    }
    return { published, failed, error };
  }
}
