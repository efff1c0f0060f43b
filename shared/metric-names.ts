/**
 * Every metric the system emits, one list per use case: a typo is a type error, and the CDK
 * dashboard draws one widget per name (infra reads these lists). Namespace: METRICS_NAMESPACE.
 */
export const METRICS_NAMESPACE = 'OneTimeAuthLinks';

export const INBOUND_METRICS = [
  'MailDropped',
  'MailRejected',
  'MailIgnored',
  'MailDuplicate',
  'MailInFlight',
  'CustomerCreated',
  'TicketCreated',
  'FollowUpRecorded',
  'TicketReopened',
  'ReplySuppressed',
  'MailReplied',
  'ReplyResumed',
  'DeliveryTakenOver',
  'SpoofedHeaderIgnored',
  'MalformedEvent',
  'RawMailMissing',
  'InboundFailed',
  'LeaseReturned',
  'AttachmentsStored',
] as const;

export const LINK_METRICS = ['LinkMailed', 'LinkMailFailed', 'LinkActivationConflict'] as const;

export const REDEEM_METRICS = [
  'LandingShown',
  'LandingMalformed',
  'LinkRedeemed',
  'LinkWrongLink',
  'LinkExpired',
  'LinkNewLink',
  'LinkNewLinkSent',
  'LinkRefreshFailed',
  'LinkRefreshRateLimited',
  'LinkCodeOffered',
  'LinkDoubleClickSignedIn',
  'LinkSignedInAlready',
  'CrossSiteRefused',
  'BadRequest',
  'HttpFailed',
] as const;

export const CODE_METRICS = ['CodeSignedIn', 'CodeRefused', 'CodeRateLimited', 'CodeRestored'] as const;

export const PORTAL_METRICS = ['PortalPageShown', 'PortalReply', 'SessionExpired', 'SignedOut', 'TicketNotFound', 'ReplyFilesStored', 'ReplyFilesTooLarge', 'FileDownloaded', 'FileGone'] as const;

export const SELF_SERVICE_METRICS = ['SelfServiceRequested', 'SelfServiceLinkSent', 'SelfServiceNoMatch', 'SelfServiceRateLimited', 'SelfServiceFailed'] as const;

export const HELPDESK_METRICS = [
  'TicketStateChanged',
  'AgentReplied',
  'CustomerDisabled',
  'CustomerEnabled',
  'OpsLinkSent',
  'EventDuplicate',
  'EventMalformed',
  'EventRefused',
  'EventFailed',
] as const;

export const OUTBOX_METRICS = ['EventsPublished', 'EventPublishFailed', 'OutboxRelayed'] as const;

export const SWEEP_METRICS = ['SweepTicketsExamined', 'SweepTokensDeleted', 'SweepPages', 'SweepIncomplete', 'SweepFailed'] as const;

export const ALL_METRICS = [
  ...INBOUND_METRICS,
  ...LINK_METRICS,
  ...REDEEM_METRICS,
  ...CODE_METRICS,
  ...PORTAL_METRICS,
  ...SELF_SERVICE_METRICS,
  ...HELPDESK_METRICS,
  ...OUTBOX_METRICS,
  ...SWEEP_METRICS,
] as const;

export type MetricName = (typeof ALL_METRICS)[number];
