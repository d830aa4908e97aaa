import { textProblem } from './validators';

/** The text rules of labels (names, counterparties, units, references) and free text (reasons). */
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

describe('textProblem', () => {
  it.each(BIDI.map((c) => [hex(c), c]))('refuses the bidi control %s in a label and in free text, naming it and where it is', (name, c) => {
    expect(textProblem(`西山${c}区`, 'label')).toBe(
      `must not contain bidirectional control characters (${name} at index 2): they change how the text is displayed`,
    );
    expect(textProblem(`西山${c}区`, 'free-text')).toMatch(/^must not contain bidirectional control characters/);
  });

  it.each(ZERO_WIDTH.map((c) => [hex(c), c]))('refuses the zero-width character %s in a label, accepts it in free text', (name, c) => {
    expect(textProblem(`${c}西山`, 'label')).toBe(`must not contain zero-width characters (${name} at index 0)`);
    expect(textProblem(`西山${c}`, 'free-text')).toBeUndefined();
  });

  it.each([
    ['a CJK name', '西山区二环内排水系统提升完善项目', 'label'],
    ['SQL-looking text', "Robert'); DROP TABLE events;--", 'label'],
    ['emoji (a surrogate pair)', '债券 😀 𠀀', 'label'],
    ['full-width digits', '１号楼', 'label'],
    ['a reason over two lines', '第一行\n第二行', 'free-text'],
    ['a ZWJ emoji sequence in a reason', '👨\u200d👩\u200d👧', 'free-text'],
    ['Arabic with its letters only', 'مرحبا', 'label'],
  ] as const)('accepts %s', (_name, text, kind) => {
    expect(textProblem(text, kind)).toBeUndefined();
  });

  it.each([
    ['a newline in a label', 'a\nb', 'label'],
    ['NUL in free text', 'a\u0000b', 'free-text'],
    ['a lone surrogate', 'a\ud800', 'label'],
    ['C1 NEL', 'a\u0085b', 'free-text'],
  ] as const)('refuses %s as a control character', (_name, text, kind) => {
    expect(textProblem(text, kind)).toBe('must not contain control characters');
  });

  it('refuses what is not a string', () => {
    expect(textProblem(42, 'label')).toBe('must be a string');
    expect(textProblem(null, 'free-text')).toBe('must be a string');
  });
});
