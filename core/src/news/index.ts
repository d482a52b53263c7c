/** SharePoint intranet news shown read-only in Ruche. */
export * from './news.js';
