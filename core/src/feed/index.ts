export { readFeed, topWindowDays, type FeedSpec, type FeedOptions, type FeedOrder, type FeedPage } from './feed.js';
export { followPerson, followTopic, listFollows, type Follows } from './follows.js';
