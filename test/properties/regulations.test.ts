// Properties of the shipped regulations taken together (live-2016, notice-2018, av-2019), over
// generated events: monotonicity in prohibited content and verified identities, a provider of both
// services getting the union of both regulations, and each regulation's in-force date at the Beijing
// midnight boundary, whatever offset the time is written in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision, Event, Service } from '../../engine/index.js';
import { anyEvent, instantIn } from '../arbitraries.js';
import { decideShipped, shippedPolicy, shippedVocabulary } from '../helpers.js';

/** The CST calendar date of an instant, computed independently of the engine: shift by +8 h. */
const cstDate = (timestamp: string): string => new Date(Date.parse(timestamp) + 8 * 3_600_000).toISOString().slice(0, 10);

const withServices = (ev: Event, services: Service[]): Event => ({ ...ev, provider: { ...ev.provider, services } });

/** Every list of a decision as comparable strings, by name. */
function parts(d: Decision): Record<string, string[]> {
  return {
    verification: [...d.verification],
    labeling: [...d.labeling],
    disposal: [...d.disposal],
    obligations: d.obligations.map((o) => JSON.stringify(o)),
    retention: d.retention.map((r) => JSON.stringify(r)),
    citations: d.citations.map((c) => JSON.stringify(c)),
    rules: d.trace.map((t) => t.rule),
  };
}

const regulationFired = (d: Decision, regulation: string): boolean => d.trace.some((t) => t.citation.regulation === regulation);
const consulted = (d: Decision, regulation: string): boolean => d.policy.articles.some((a) => a.regulation === regulation);

/** The event types for which a regulation has at least one rule. */
const typesWithRules = (regulation: string): Set<string> =>
  new Set(shippedPolicy().checked.articles.filter((a) => a.regulation === regulation).flatMap((a) => a.rules.flatMap((r) => r.on)));

describe('monotonicity', () => {
  it('adding a prohibited category to the content never turns a refusal into an allowance', () => {
    fc.assert(
      fc.property(anyEvent, fc.constantFrom(...shippedVocabulary().enumerations.get('prohibited_category')!.values.map((v) => v.name)), (ev, category) => {
        const before = decideShipped(ev);
        const content: NonNullable<Event['content']> = ev.content ?? { id: 'c-added', form: 'video', category: 'general' };
        const prohibited = [...new Set([...(content.prohibited ?? []), category])];
        const after = decideShipped({ ...ev, content: { ...content, prohibited } });
        if (!before.allowed) expect(after.allowed).toBe(false);
        // Nothing already required is dropped either, but a warning or a restriction, which give way to a graver
        // measure when the content is graver (视情, live-2016 and av-2019 art. 14).
        for (const [k, v] of Object.entries(parts(before))) if (k !== 'rules') expect(parts(after)[k]).toEqual(expect.arrayContaining(v.filter((x) => x !== 'warn' && x !== 'restrict_function')));
      }),
      { numRuns: 500 },
    );
  });

  it('removing a verified identity from the actor never turns a refusal into an allowance, nor removes a missing check', () => {
    const withIdentity = anyEvent.filter((e) => (e.actor?.verified?.length ?? 0) > 0);
    fc.assert(
      fc.property(withIdentity, fc.nat(), (ev, pick) => {
        const verified = ev.actor!.verified!;
        const removed = verified.filter((_, i) => i !== pick % verified.length);
        const before = decideShipped(ev);
        const after = decideShipped({ ...ev, actor: { ...ev.actor!, verified: removed } });
        if (!before.allowed) expect(after.allowed).toBe(false);
        expect(after.verification).toEqual(expect.arrayContaining(before.verification));
      }),
      { numRuns: 500 },
    );
  });
});

describe('providers of both services', () => {
  it('get at least the union of what each service alone would get', () => {
    fc.assert(
      fc.property(anyEvent, (ev) => {
        const live = decideShipped(withServices(ev, ['live_broadcast']));
        const av = decideShipped(withServices(ev, ['audio_video']));
        const both = decideShipped(withServices(ev, ['live_broadcast', 'audio_video']));
        if (!live.allowed || !av.allowed) expect(both.allowed).toBe(false);
        const b = parts(both);
        for (const single of [live, av]) {
          for (const [k, v] of Object.entries(parts(single))) expect(b[k], k).toEqual(expect.arrayContaining(v));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a text-and-image live provider is never decided by av-2019, an audio/video-only provider never by live-2016 or notice-2018', () => {
    fc.assert(
      fc.property(anyEvent, (ev) => {
        const textLive = withServices(ev, ['live_broadcast']);
        expect(regulationFired(decideShipped({ ...textLive, provider: { ...textLive.provider, liveTextAndImagesOnly: true } }), 'av-2019')).toBe(false);
        const av = decideShipped(withServices(ev, ['audio_video']));
        expect(regulationFired(av, 'live-2016')).toBe(false);
        expect(regulationFired(av, 'notice-2018')).toBe(false);
        expect(decideShipped(withServices(ev, [])).trace).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('in force from Beijing midnight', () => {
  const DAY = 86_400_000;

  /** A provider of both services lacking every filing and licence, and an event each regulation decides. */
  const triggers: Record<'notice-2018' | 'av-2019', (occurredAt: string) => Event> = {
    // Section 一: no access service for a live provider without its ICP filing.
    'notice-2018': (occurredAt) => ({
      id: 'e-notice',
      type: 'access.request',
      occurredAt,
      provider: { id: 'p', services: ['live_broadcast'], licenses: [], businesses: [], hasStorage: true },
      requester: { kind: 'network_access' },
    }),
    // Art. 9: no prohibited content in an audio/video service.
    'av-2019': (occurredAt) => ({
      id: 'e-av',
      type: 'content.publish',
      occurredAt,
      provider: { id: 'p', services: ['audio_video'], licenses: ['icp_filing'], businesses: [] },
      actor: { id: 'a', role: 'user', verified: ['phone_number'], agreementSigned: true },
      content: { id: 'c', form: 'video', category: 'general', prohibited: ['pornography'] },
    }),
  };

  describe.each([
    ['notice-2018', '2018-08-01', Date.UTC(2018, 6, 31, 16)],
    ['av-2019', '2020-01-01', Date.UTC(2019, 11, 31, 16)],
  ] as const)('%s, in force from %s', (regulation, date, midnightMs) => {
    const around = instantIn(midnightMs - 2 * DAY, midnightMs + 2 * DAY);
    const types = typesWithRules(regulation);

    it('decides an event it governs exactly when the Beijing date is on or after the in-force date', () => {
      fc.assert(
        fc.property(around, (occurredAt) => {
          const d = decideShipped(triggers[regulation](occurredAt));
          const inForce = cstDate(occurredAt) >= date;
          expect(regulationFired(d, regulation)).toBe(inForce);
          expect(d.allowed).toBe(!inForce);
        }),
        { numRuns: 300 },
      );
    });

    it('is consulted for any event near the boundary exactly when in force, and never fires before', () => {
      fc.assert(
        fc.property(anyEvent, around, (ev, occurredAt) => {
          const d = decideShipped(withServices({ ...ev, occurredAt }, ['live_broadcast', 'audio_video']));
          const inForce = cstDate(occurredAt) >= date;
          if (!inForce) expect(regulationFired(d, regulation)).toBe(false);
          if (types.has(ev.type)) expect(consulted(d, regulation)).toBe(inForce);
          else expect(consulted(d, regulation)).toBe(false);
        }),
        { numRuns: 400 },
      );
    });

    it('the boundary instants themselves, in UTC and in Beijing time', () => {
      const fires = (occurredAt: string) => regulationFired(decideShipped(triggers[regulation](occurredAt)), regulation);
      const dayBefore = new Date(midnightMs - DAY / 2).toISOString().slice(0, 10);
      expect(fires(new Date(midnightMs).toISOString())).toBe(true);
      expect(fires(new Date(midnightMs - 1000).toISOString())).toBe(false);
      expect(fires(`${date}T00:00:00+08:00`)).toBe(true);
      expect(fires(`${dayBefore}T23:59:59+08:00`)).toBe(false);
    });
  });

  it('no rule of a regulation fires on any day before it is in force', () => {
    fc.assert(
      fc.property(anyEvent, (ev) => {
        const d = decideShipped(ev);
        const day = cstDate(ev.occurredAt);
        if (day < '2016-12-01') expect(d.trace).toEqual([]);
        if (day < '2018-08-01') expect(regulationFired(d, 'notice-2018')).toBe(false);
        if (day < '2020-01-01') expect(regulationFired(d, 'av-2019')).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
