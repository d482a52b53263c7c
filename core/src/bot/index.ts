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
