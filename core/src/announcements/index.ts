export * from './model.js';
export {
  publishAnnouncement,
  getAnnouncement,
  editAnnouncement,
  acknowledgeAnnouncement,
  recordAnnouncementView,
  listAnnouncements,
  loadAnnouncementFor,
  type NewAnnouncement,
  type AnnouncementEdit,
  type AnnouncementListOptions,
} from './announcements.js';
export { askAudience, sendAcknowledgementReminders, tenantsWithAnnouncements, type ReminderReport } from './requests.js';
export { announcementReport, announcementReportRows, announcementReportCsv, safeCell, reportCsvHeader } from './report.js';
export { audienceSql, sqlAnnouncementsTargeting } from './audience.js';
