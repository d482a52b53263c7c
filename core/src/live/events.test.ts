import { parseLiveEvent } from './events.js';

const tenantId = '11111111-1111-4111-8111-111111111111';
const postId = '22222222-2222-4222-8222-222222222222';
const commentId = '33333333-3333-4333-8333-333333333333';

describe('parseLiveEvent: reaction events', () => {
  test('a reaction to a post or a comment, with its post, is heard', () => {
    const onPost = { type: 'reaction', tenantId, targetType: 'post', targetId: postId, postId };
    const onComment = { type: 'reaction', tenantId, targetType: 'comment', targetId: commentId, postId };
    expect(parseLiveEvent(JSON.stringify(onPost))).toEqual(onPost);
    expect(parseLiveEvent(JSON.stringify(onComment))).toEqual(onComment);
  });

  test('a malformed reaction event is ignored', () => {
    for (const bad of [
      { type: 'reaction', tenantId, targetType: 'kudos', targetId: postId, postId },
      { type: 'reaction', tenantId, targetType: 'post', targetId: 'not-an-id', postId },
      { type: 'reaction', tenantId, targetType: 'comment', targetId: commentId },
      { type: 'reaction', targetType: 'post', targetId: postId, postId },
    ]) {
      expect(parseLiveEvent(JSON.stringify(bad))).toBeUndefined();
    }
  });
});
