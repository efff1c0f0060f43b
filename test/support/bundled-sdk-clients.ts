/**
 * The AWS SDK clients our functions send with, as an entry for test/infra/bundling.test.ts: bundled
 * the way a function is, then driven against the local peers in a fresh Node process.
 */
export { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
export { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
