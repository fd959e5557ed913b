import { describe, expect, it } from 'vitest';
import { decideShipped, event, firedRules } from './helpers.js';

describe('helpers', () => {
  it('a clean publish by a verified publisher is allowed and labelled', () => {
    const d = decideShipped(event('content.publish'));
    expect(d.allowed).toBe(true);
    expect(d.labeling).toEqual(['platform_identification']);
    expect(firedRules(d)).toContain('live-2016/7/platform-identification');
  });
});
