/** Teams activity-feed notifications: the delivery outbox, its throttled drain, the per-person switch. */
export {
  deliverTeamsNotifications,
  enableTeamsDelivery,
  disableTeamsDelivery,
  tenantsWithPendingTeamsDeliveries,
  setTeamsNotifications,
  teamsActivityTypes,
  defaultTeamsLimits,
  type TeamsDeliveryOptions,
  type TeamsDeliveryReport,
} from './delivery.js';
export { Throttle, realClock, type ThrottleRate, type ThrottleClock } from './throttle.js';
