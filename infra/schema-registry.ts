/**
 * The EventBridge schema registry of the project's bus: the JSON Schema of every event in and out,
 * from the same generator as the committed files under schemas/ (shared/events/json-schemas.ts),
 * with this deployment's sources. A helpdesk developer browses it in the EventBridge console or an
 * AWS toolkit and downloads code bindings for their language.
 */
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { eventSchemas, type EventSources } from '../shared/events/json-schemas.js';

const DIRECTIONS = { in: 'sent by the helpdesk', out: 'published for the helpdesk', own: 'sent by the portal to this system itself' } as const;

export class SchemaRegistry extends Construct {
  readonly registry: CfnRegistry;
  readonly schemas: CfnSchema[];

  constructor(scope: Construct, id: string, props: { registryName: string; busName: string; sources: EventSources }) {
    super(scope, id);
    this.registry = new CfnRegistry(this, 'Registry', {
      registryName: props.registryName,
      description: `Events on the bus ${props.busName}: helpdesk events in, one-time-auth-links events out`,
    });
    this.schemas = eventSchemas(props.sources).map(
      (schema) =>
        new CfnSchema(this, schema.detailType, {
          registryName: this.registry.attrRegistryName,
          schemaName: schema.schemaName,
          type: 'JSONSchemaDraft4',
          content: JSON.stringify(schema.document),
          description: `${schema.detailType}, ${DIRECTIONS[schema.direction]} (source ${schema.source})`,
        }),
    );
  }
}
