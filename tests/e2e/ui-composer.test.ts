import { parseBlocks, topicToken, triggerAt } from '../../ui/src/components/ComposerSyntax.js';

/** The composer's text rules: when suggestions open, what a topic becomes, the preview's blocks. */

describe('triggerAt', () => {
  test('finds @ and # being typed at the caret, after a space or at the start', () => {
    expect(triggerAt('Thanks @Cam', 11)).toEqual({ char: '@', query: 'Cam', start: 7 });
    expect(triggerAt('#sécu', 5)).toEqual({ char: '#', query: 'sécu', start: 0 });
    expect(triggerAt('Hello @', 7)).toEqual({ char: '@', query: '', start: 6 });
    // The caret decides: text after it does not count.
    expect(triggerAt('Thanks @Cam and more', 11)).toEqual({ char: '@', query: 'Cam', start: 7 });
  });

  test('ignores e-mail addresses, anchors in words, and finished words', () => {
    expect(triggerAt('mail camille@hexagone', 21)).toBeNull();
    expect(triggerAt('page#top', 8)).toBeNull();
    expect(triggerAt('Thanks @Cam ', 12)).toBeNull();
    expect(triggerAt('no trigger here', 15)).toBeNull();
  });
});

describe('topicToken', () => {
  test('keeps letters (accents too), digits, _ and -; spaces become -', () => {
    expect(topicToken('Sécurité au travail')).toBe('Sécurité-au-travail');
    expect(topicToken(' IA & données ')).toBe('IA--données');
  });
});

describe('parseBlocks', () => {
  test('paragraphs, lists, quotes and code blocks, as the server renders them', () => {
    expect(parseBlocks('Hello\nworld\n\n- one\n- two\n\n1. first\n2) second\n\n> quoted\n> text\n\n```\ncode *not* bold\n```\nafter')).toEqual([
      { type: 'p', text: 'Hello\nworld' },
      { type: 'ul', items: ['one', 'two'] },
      { type: 'ol', items: ['first', 'second'] },
      { type: 'quote', text: 'quoted\ntext' },
      { type: 'code', text: 'code *not* bold' },
      { type: 'p', text: 'after' },
    ]);
  });

  test('an empty body has no block; an unclosed code block runs to the end', () => {
    expect(parseBlocks('  \n\n')).toEqual([]);
    expect(parseBlocks('```\nlet a = 1;')).toEqual([{ type: 'code', text: 'let a = 1;' }]);
  });
});
