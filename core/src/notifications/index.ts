export * from './model.js';
export { notify, notifyMany, notifyMentions, personMayRead, viewerOfPerson } from './notify.js';
export {
  listNotifications,
  getNotification,
  unreadNotificationCount,
  markNotificationsRead,
  getNotificationSettings,
  updateNotificationSettings,
  type NotificationListOptions,
} from './inbox.js';
export { notifyNewMentions, publishNewPost, notifyNewComment, notifyReaction, notifyAnswerAccepted } from './content.js';
