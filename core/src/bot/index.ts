/** The Teams bot's side of core: conversation references and proactive messages. */
export {
  saveConversationReference,
  removeConversationReference,
  personalConversationFor,
  conversationTypes,
  type ConversationReference,
  type ConversationType,
  type NewConversationReference,
} from './conversations.js';
export {
  deliverProactiveMessages,
  setBotNotifications,
  botNotificationsEnabled,
  tenantsWithPendingProactiveMessages,
  purgeProactiveOutbox,
  proactiveLink,
  proactiveMessageKey,
  proactiveNotificationKinds,
  defaultProactiveLimits,
  type ProactiveActivity,
  type ProactiveSendResult,
  type ProactiveSender,
  type ProactiveRenderer,
  type ProactiveNotification,
  type ProactiveKind,
  type ProactiveLanguage,
  type ProactiveLinks,
  type ProactiveDeliveryOptions,
  type ProactiveDeliveryReport,
  type DigestContent,
} from './proactive.js';
export { queueWeeklyDigests, digestContentFor, digestWeekOf, previousDigestWeek, tenantsWithBotConversations, type DigestQueueReport } from './digest.js';
