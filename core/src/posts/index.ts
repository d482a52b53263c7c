export * from './model.js';
export { createPost, getPost, editPost, deletePost, listRevisions, pinPost, type NewPost, type PostEdit, type PollInput, type EventInput } from './posts.js';
export { acceptAnswer, clearAcceptedAnswer, voteIdea, setIdeaStatus, votePoll, rsvp } from './kinds.js';
export { addComment, editComment, deleteComment, getComment, listComments } from './comments.js';
export { setReaction, removeReaction, listReactions, reactionSummary, type ReactionTarget, type ReactionSummary, type ReactionEntry } from './reactions.js';
export { hydratePosts, postColumns, postJoins, timestampKey, type PostRow } from './hydrate.js';
export { loadPostFor, loadCommentFor, type LoadedPost, type LoadedComment } from './facts.js';
