export {
  emitEvent,
  emitEvents,
  emitEventsSql,
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
  type WebhookEventType,
} from './events.js';
export {
  createEndpoint,
  listEndpoints,
  updateEndpoint,
  listDeliveries,
  redeliver,
  type EndpointRequest,
  type EndpointView,
  type DeliveryView,
} from './endpoints.js';
export {
  deliverWebhooks,
  startWebhookRunner,
  signWebhook,
  type DeliverOptions,
  type DeliverSummary,
} from './deliver.js';
