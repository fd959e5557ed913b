// The vocabulary in the language: a base and the vocabularies extending it merge into the bundle's
// one vocabulary; each mistake in declaring it is a diagnostic at its place, with help.
import { describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { format } from '../../language/format.js';
import { indexOf } from '../../language/vocabulary.js';
import { shippedVocabulary } from '../helpers.js';

const shipped = readPolicyDir(SHIPPED_POLICIES);
const EXTENSION = 'example/vocabulary.tiaoli';

/** The shipped bundle with an extension vocabulary of `text` beside it: its diagnostics there, and the vocabulary. */
function extended(text: string) {
  const built = buildBundle([...shipped, { path: EXTENSION, text }]);
  const here = built.diagnostics.filter((d) => d.span.file === EXTENSION);
  return { built, found: here.map((d) => [d.code, `${d.span.start.line}:${d.span.start.column}`, d.message]), vocab: indexOf(built.checked.vocabulary) };
}

const HEAD = 'vocabulary example extends contract\n';

describe('a vocabulary that extends the contract', () => {
  it('adds fields to an object, values to an enumeration, an event type and an object of its own', () => {
    const { built, found, vocab } = extended(
      `${HEAD}field tip tip\n  zh "打赏" en "the tip"\n` +
        'object tip\n  field amount integer from 0 to 100000 required\n    zh "打赏金额" en "amount of the tip"\n' +
        'extend object actor\n  field minor flag\n    zh "未成年人" en "a minor"\n' +
        'extend enumeration disposal_measure\n  value refund_tip zh "退还打赏" en "refund the tip"\n' +
        'event tip.send\n  zh "打赏" en "send a tip"\n  requires actor, tip\n',
    );
    expect(found).toEqual([]);
    expect(built.policy).toBeDefined();
    expect(built.checked.vocabulary.names).toEqual(['contract', 'example']);
    expect(vocab.fields.get('tip.amount')).toMatchObject({ type: { t: 'int' }, minimum: 0, maximum: 100000, required: true, zh: '打赏金额' });
    expect(vocab.fields.get('actor.minor')).toMatchObject({ type: { t: 'bool' }, required: false, en: 'a minor' });
    expect(vocab.codes.disposal).toContain('refund_tip');
    expect(vocab.requiredByType['tip.send']).toEqual(['actor', 'tip']);
    // The extension is part of what the digest names.
    expect(built.policy!.digest).not.toBe(buildBundle(shipped).policy!.digest);
  });

  it('names each mistake where it is, with help', () => {
    expect(extended(`${HEAD}extend object actr\n  field minor flag zh "未成年人" en "a minor"\n`).found).toEqual([['TL073', '2:15', 'actr is not a declared object']]);
    expect(extended(`${HEAD}extend enumeration record_kind\n  value network_logs zh "网络日志" en "network logs"\n`).found).toEqual([['TL072', '3:9', 'value of record_kind network_logs is already declared in vocabulary.tiaoli']]);
    expect(extended(`${HEAD}conflict take warn and take scold\n  because "x"\n`).found).toEqual([['TL054', '2:29', 'scold is not a disposal code']]);
    expect(extended(`${HEAD}conflict deny and take warn on tip.send\n  because "x"\n`).found).toEqual([['TL052', '2:32', 'no event type tip.send']]);
    expect(extended(`${HEAD}extend object actor\n  field age integer or maybe zh "年龄" en "age"\n`).found.map(([code]) => code)).toEqual(['TL074']);
    expect(extended(`${HEAD}extend object actor\n  field tips set zh "打赏" en "tips"\n`).found.map(([code]) => code)).toEqual(['TL074']);
    expect(extended(`${HEAD}extend object actor\n  field home provider zh "平台" en "platform"\n`).found.map(([code]) => code)).toEqual(['TL074']);
    expect(extended(`${HEAD}extend enumeration disposal_measure\n  value refund_tip zh "退还" en "refund" met by phone_number\n`).found.map(([code]) => code)).toEqual(['TL074']);
    expect(extended(`${HEAD}event tip.send zh "打赏" en "tip" requires tip\n`).found).toEqual([['TL073', '2:42', 'tip is not a declared object of the event']]);
    expect(extended(`${HEAD}event tip.delete zh "删除" en "delete" deletes actor.role from actor.id\n`).found.map(([code]) => code)).toEqual(['TL074']);
    expect(extended('vocabulary other extends nothing\n').found).toEqual([['TL073', '1:26', 'nothing is not a declared vocabulary']]);
    expect(extended('vocabulary second\n').found).toEqual([['TL072', '1:12', 'base vocabulary (one without `extends`) second is already declared in vocabulary.tiaoli']]);
  });

  it('says what a yes/no field or a set left out of an event means, and why: in the vocabulary, its JSON Schema and its format', () => {
    const { found, vocab, built } = extended(
      `${HEAD}extend object actor\n  field minor flag\n    absent means false because "the platform marks every minor"\n    zh "未成年人" en "a minor"\n` +
        '  field tips set of disposal_measure\n    absent means [] because "none recorded"\n    zh "打赏" en "tips"\n',
    );
    expect(found).toEqual([]);
    expect(vocab.fields.get('actor.minor')).toMatchObject({ absentMeans: 'the platform marks every minor' });
    expect(vocab.fields.get('actor.tips')).toMatchObject({ absentMeans: 'none recorded' });
    expect(built.policy).toBeDefined();
    const text = `${HEAD}\nextend object actor\n  field minor flag\n    absent means false because "marked"\n    zh "未成年人" en "a minor"\n`;
    expect(format({ path: EXTENSION, text }).text).toBe(text);
  });

  it('refuses `absent means` of the wrong kind or beside `required`, at the clause', () => {
    const at = (field: string) => extended(`${HEAD}extend object actor\n  ${field}\n    zh "x" en "x"\n`).found;
    expect(at('field minor flag absent means [] because "x"')).toEqual([['TL074', '3:20', expect.stringContaining('`absent means []` says what a set is when left out, and minor is flag')]]);
    expect(at('field tips set of disposal_measure absent means false because "x"')).toEqual([['TL074', '3:38', expect.stringContaining('`absent means false` says what a yes/no field is when left out, and tips is set')]]);
    expect(at('field age integer absent means false because "x"').map(([code]) => code)).toEqual(['TL074']);
    expect(at('field minor flag required absent means false because "x"')).toEqual([['TL074', '3:29', 'minor is required, so no event leaves it out']]);
  });

  it('is refused when it leaves out a field every event has', () => {
    const base = shipped.find((s) => s.path === 'vocabulary.tiaoli')!;
    const built = buildBundle([...shipped.filter((s) => s !== base), { ...base, text: base.text.replace(/field occurredAt timestamp required\n {2}zh "发生时间" en "time of the event"\n {2}about en "when it happened"\n/, '') }]);
    expect(built.policy).toBeUndefined();
    expect(built.diagnostics.filter((d) => d.code === 'TL074').map((d) => d.message)).toEqual(['every event has `occurredAt`, and this vocabulary does not declare it as `field occurredAt timestamp required`']);
  });

  it('a rule naming a field the vocabulary no longer declares is an error at that use', () => {
    const base = shipped.find((s) => s.path === 'vocabulary.tiaoli')!;
    const without = base.text.replace(/ {2}field agreementSigned flag\n {4}zh "已签订服务协议" en "signed the service agreement"\n/, '');
    expect(without).not.toBe(base.text);
    const built = buildBundle([...shipped.filter((s) => s !== base), { ...base, text: without }]);
    const uses = built.diagnostics.filter((d) => d.code === 'TL050');
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.every((d) => d.message === 'the event has no field actor.agreementSigned')).toBe(true);
  });
});

describe('the shipped vocabulary', () => {
  it('declares every name of the decision contract, each with a Chinese and an English name', () => {
    const v = shippedVocabulary();
    expect(v.eventTypes).toEqual(['access.request', 'account.register', 'content.flagged', 'content.publish', 'feature.launch', 'identity.disclosure', 'interaction.post', 'record.delete']);
    expect(v.codes.verification).toEqual(['phone_number', 'identity_document', 'real_identity']);
    expect(v.metBy).toEqual({ phone_number: ['phone_number'], identity_document: ['identity_document', 'business_license', 'organization_code'], real_identity: ['phone_number', 'identity_document', 'business_license', 'organization_code'] });
    for (const f of v.vocabulary.fields) expect([f.zh, f.en].every((n) => n !== f.path.split('.').at(-1)), f.path).toBe(true);
  });

  it('is formatted, and an extension formats to a fixed point', () => {
    const base = shipped.find((s) => s.path === 'vocabulary.tiaoli')!;
    expect(format(base, shippedVocabulary().temporal).text).toBe(base.text);
    const messy = `${HEAD}  title zh "例子"   extend object actor field minor flag zh "未成年人" en "a minor" about en "under 18"\nevent tip.send zh "打赏" en "send a tip" requires actor\n`;
    const once = format({ path: EXTENSION, text: messy }).text!;
    expect(once).toBe('vocabulary example extends contract\n  title zh "例子"\n\nextend object actor\n  field minor flag\n    zh "未成年人" en "a minor"\n    about en "under 18"\n\nevent tip.send\n  zh "打赏" en "send a tip"\n  requires actor\n');
    expect(format({ path: EXTENSION, text: once }).text).toBe(once);
  });
});
