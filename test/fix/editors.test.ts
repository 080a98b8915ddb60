import { describe, expect, test } from 'vitest';
import { carryOver, unifiedDiff } from '../../src/fix/diff.js';
import { applyJsonEdits, detectIndent } from '../../src/fix/json-editor.js';
import { applyYamlEdits, styleOf } from '../../src/fix/yaml-editor.js';

describe('styleOf: new lines look like their neighbours', () => {
  test.each<[string, string, { indent: number; indentSeq: boolean; flowCollectionPadding: boolean }]>([
    ['2 spaces, indented lists', 'A:\n  B:\n    - x\n', { indent: 2, indentSeq: true, flowCollectionPadding: false }],
    ['4 spaces', 'A:\n    B:\n        - x\n', { indent: 4, indentSeq: true, flowCollectionPadding: false }],
    ['lists at the key\'s column', 'A:\n  B:\n  - x\n', { indent: 2, indentSeq: false, flowCollectionPadding: false }],
    ['padded flow maps', 'A:\n  P: { S: x }\n  Q: !Sub "${AWS::Region}"\n', { indent: 2, indentSeq: true, flowCollectionPadding: true }],
    ['tight flow lists', 'A:\n  P: [a, b]\n', { indent: 2, indentSeq: true, flowCollectionPadding: false }],
  ])('%s', (_name, text, expected) => {
    expect(styleOf(text)).toMatchObject(expected);
  });
});

describe('applyYamlEdits', () => {
  test('long-form values are written with short tags', () => {
    const out = applyYamlEdits('R:\n  L: []\n', 't.yaml', [
      { op: 'set', path: ['R', 'M'], value: { A: { Ref: 'X' }, B: { 'Fn::Sub': '${X}-y' }, C: { 'Fn::GetAtt': ['K', 'Arn'] }, D: '2012-10-17' } },
    ]);
    expect(out).toBe("R:\n  L: []\n  M:\n    A: !Ref X\n    B: !Sub ${X}-y\n    C: !GetAtt K.Arn\n    D: '2012-10-17'\n");
  });

  test('a plain string corrected to a pattern gains !Sub and keeps its quotes', () => {
    const out = applyYamlEdits('A: "arn:x"\n', 't.yaml', [{ op: 'replace', path: ['A'], value: { 'Fn::Sub': 'arn:${AWS::Region}' } }]);
    expect(out).toBe('A: !Sub "arn:${AWS::Region}"\n');
  });

  test('long-form Fn::Sub in YAML is corrected inside', () => {
    const out = applyYamlEdits('A:\n  Fn::Sub: arn:x # keep\n', 't.yaml', [{ op: 'replace', path: ['A'], value: { 'Fn::Sub': 'arn:y' } }]);
    expect(out).toBe('A:\n  Fn::Sub: arn:y # keep\n');
  });

  test('an empty Environment: is filled in', () => {
    const out = applyYamlEdits('F:\n  Environment:\n  X: 1\n', 't.yaml', [{ op: 'set', path: ['F', 'Environment', 'Variables', 'N'], value: 'v' }]);
    expect(out).toBe('F:\n  Environment:\n    Variables:\n      N: v\n  X: 1\n');
  });

  test('an alias on the way is refused', () => {
    const text = 'Base: &b\n  - x\nF:\n  Policies: *b\n';
    expect(() => applyYamlEdits(text, 't.yaml', [{ op: 'append', path: ['F', 'Policies'], value: 'y' }])).toThrow(/anchor or alias/);
  });
});

describe('carryOver keeps lines the serialiser would restyle', () => {
  const reserialise = (text: string) => text.replace(/ {2,}#/g, ' #');
  test('the restyled line stays as written; the edit lands', () => {
    const original = 'a: 1   # spaced\nb: 2\nc: 3\n';
    const baseline = 'a: 1 # spaced\nb: 2\nc: 3\n';
    const edited = 'a: 1 # spaced\nb: 2\nc: 3\nd: 4\n';
    expect(carryOver(original, baseline, edited, reserialise)).toBe('a: 1   # spaced\nb: 2\nc: 3\nd: 4\n');
  });

  test('undefined when the result would not mean what the edit means', () => {
    expect(carryOver('x\n', 'y\n', 'z\n', () => 'other')).toBeUndefined();
  });
});

describe('JSON', () => {
  test.each<[string, string, string | number]>([
    ['two spaces', '{\n  "a": 1\n}\n', '  '],
    ['four spaces', '{\n    "a": 1\n}\n', '    '],
    ['tabs', '{\n\t"a": 1\n}\n', '\t'],
    ['one line', '{"a": 1}', 2],
  ])('detectIndent: %s', (_name, text, indent) => {
    expect(detectIndent(text)).toBe(indent);
  });

  test('tab-indented, no trailing newline: both kept', () => {
    const out = applyJsonEdits('{\n\t"R": {\n\t\t"P": "AWSLambdaBasicExecutionRole"\n\t}\n}', [{ op: 'append', path: ['R', 'P'], value: 'X' }]);
    expect(out).toBe('{\n\t"R": {\n\t\t"P": [\n\t\t\t"AWSLambdaBasicExecutionRole",\n\t\t\t"X"\n\t\t]\n\t}\n}');
  });
});

test('unifiedDiff: git-style header, empty when equal', () => {
  expect(unifiedDiff('t.yaml', 'a\n', 'a\n')).toBe('');
  expect(unifiedDiff('t.yaml', 'a\n', 'b\n')).toMatch(/^--- a\/t\.yaml\n\+\+\+ b\/t\.yaml\n@@ -1,1 \+1,1 @@\n-a\n\+b\n$/);
});
