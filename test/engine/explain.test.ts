// Explanations: the reasons are the rules that fired, and the remedies, computed from the rules,
// really do make a denied event allowed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explain, renderExplanation, type Change } from '../../engine/explain.js';
import { fieldName, glossaryOf, valueName } from '../../language/glossary.js';
import { anyEvent } from '../arbitraries.js';
import { decideShipped, event, shippedPolicy, shippedVocabulary } from '../helpers.js';
import type { Event } from '../../engine/index.js';

/** Applies remedy changes independently of the explainer's own code. */
function applied(ev: Event, changes: readonly Change[]): Event {
  const out = JSON.parse(JSON.stringify(ev));
  for (const c of changes) {
    const keys = c.path.split('.');
    const holder = keys.length === 1 ? out : (out[keys[0]!] ??= {});
    const key = keys.at(-1)!;
    holder[key] = 'add' in c ? [...new Set([...(holder[key] ?? []), c.add])] : c.set;
  }
  return out;
}

describe('explain', () => {
  const newsLive = event('content.publish', {
    actor: { verified: ['phone_number'] },
    content: { category: 'news', reprint: true },
  });

  it('names what would make a denied event allowed, with the articles, and it works', () => {
    const x = explain(shippedPolicy(), newsLive);
    expect(x.decision.allowed).toBe(false);
    const changes = x.remedies.flatMap((r) => r.changes.map((c) => [c, `${r.citation.regulation} ${r.citation.article}`]));
    expect(changes).toEqual(
      expect.arrayContaining([
        [{ path: 'provider.licenses', add: 'news_information' }, 'live-2016 5'],
        [{ path: 'actor.newsQualified', set: true }, 'live-2016 5'],
        [{ path: 'content.preReviewed', set: true }, 'live-2016 7'],
        [{ path: 'content.sourceIndicated', set: true }, 'live-2016 10'],
        [{ path: 'actor.verified', add: 'identity_document' }, 'live-2016 12'],
      ]),
    );
    expect(x.remediesSuffice).toBe(true);
    expect(decideShipped(applied(newsLive, x.remedies.flatMap((r) => r.changes))).allowed).toBe(true);
  });

  it('says so when nothing supplied can lift a denial', () => {
    const x = explain(shippedPolicy(), event('account.register', { actor: { blacklisted: true } }));
    expect(x.decision.allowed).toBe(false);
    expect(x.remedies).toEqual([{ rule: 'live-2016/15/blacklisted-may-not-register-again', citation: { regulation: 'live-2016', article: 15, paragraph: 2 }, changes: [] }]);
    expect(x.remediesSuffice).toBe(false);
    expect(renderExplanation(x, event('account.register'), 'en')).toContain('Nothing that could be supplied lifts this');
  });

  it('tells a deletion under retention to wait, with the date', () => {
    const ev = event('record.delete', { occurredAt: '2017-06-10T00:00:00+08:00', record: { kind: 'content_and_logs', createdAt: '2017-06-01T12:00:00+08:00' } });
    const x = explain(shippedPolicy(), ev);
    expect(x.remedies).toEqual([expect.objectContaining({ wait: '2017-07-31', changes: [] })]);
    expect(renderExplanation(x, ev, 'zh')).toContain('保存期至 2017-07-31 届满');
  });

  it('quotes the article text in the language asked, and the facts by their plain names', () => {
    const x = explain(shippedPolicy(), newsLive);
    const zh = renderExplanation(x, newsLive, 'zh');
    const en = renderExplanation(x, newsLive, 'en');
    expect(zh).toContain('互联网直播服务提供者提供互联网新闻信息服务的，应当依法取得互联网新闻信息服务资质');
    expect(zh).toContain('在「持有的备案与许可」中补充：互联网新闻信息服务许可 — live-2016 第5条第1款');
    expect(zh).toContain('不允许');
    expect(en).toContain('Internet live broadcast service providers that provide Internet news information services shall obtain');
    expect(en).toContain('add news information service licence to filings and licences held (provider.licenses) — live-2016 art. 5 para. 1');
    expect(en).toContain('Checked: with all of the above the event is allowed.');
  });

  it('for any denied event, when it says the remedies suffice, applying them makes it allowed', () => {
    fc.assert(
      fc.property(anyEvent, (ev) => {
        const x = explain(shippedPolicy(), ev);
        if (x.decision.allowed || !x.remediesSuffice) return;
        expect(decideShipped(applied(ev, x.remedies.flatMap((r) => r.changes))).allowed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a remedy only ever supplies: it adds to a set or sets a field, never takes away', () => {
    fc.assert(
      fc.property(anyEvent, (ev) => {
        for (const r of explain(shippedPolicy(), ev).remedies) {
          for (const c of r.changes) {
            if ('set' in c) expect(c.set === true || typeof c.set === 'string').toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the glossary', () => {
  it('names every field and every value as the vocabulary declares them', () => {
    const v = shippedVocabulary().vocabulary;
    const g = glossaryOf(v);
    expect(v.fields.filter((f) => fieldName(g, f.path, 'zh') !== f.zh || fieldName(g, f.path, 'en') !== f.en).map((f) => f.path)).toEqual([]);
    const unnamed = v.enumerations.flatMap((e) => e.values.filter((x) => g.values[e.name]?.[x.name]?.zh !== x.zh || g.values[e.name]?.[x.name]?.en !== x.en).map((x) => `${e.name}.${x.name}`));
    expect(unnamed).toEqual([]);
  });

  it('names a value as the enumeration of the field it was read from, or of its kind of code, names it', () => {
    const g = glossaryOf(shippedVocabulary().vocabulary);
    expect(valueName(g, 'audiovisual_program', 'en', { path: 'provider.licenses' })).toBe('audiovisual programme licence');
    expect(valueName(g, 'audiovisual_program', 'en', { path: 'provider.businesses' })).toBe('audiovisual programme service');
    expect(valueName(g, 'real_identity', 'zh', { kind: 'verification' })).toBe('真实身份信息');
    expect(valueName(g, 'p-1', 'zh', { path: 'provider.id' })).toBe('p-1');
  });
});
