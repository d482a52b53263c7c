export {
  searchPosts, searchCommunities, searchPeople, searchTopics, searchAll, autocompletePeople, highlightHtml, normaliseQuery,
  searchTypes, SEARCH_QUERY_MAX, SEARCH_PAGE_MAX, SEARCH_COUNT_CAP, SEARCH_POSTS_RANKED,
  type SearchType, type SearchInput, type SearchAll, type SearchCounts, type PostHit, type CommunityHit, type PersonHit, type TopicHit,
} from './search.js';
