// Findings in the policy author's words: checked conditions and outcomes printed back as policy
// text, rules by their id and place.
import { formatDate } from '../../language/calendar.js';
import type { CheckedOutcome, CheckedRule, Cond, Scalar, Value } from '../../language/checked.js';
import { operatorOf, printed } from '../../language/operators.js';
import { MOVED_PAST_REST_DAYS } from '../../language/tokens.js';


const scalar = (v: Scalar): string => (typeof v === 'string' && /^[a-z][a-z0-9_.-]*$/.test(v) ? v : JSON.stringify(v));

function value(v: Value): string {
  switch (v.k) {
    case 'field':
      return v.path;
    case 'const':
      return scalar(v.value);
    case 'date':
      return formatDate(v.day);
    case 'shift':
      return `${value(v.base)} ${v.sign === 1 ? 'plus' : 'minus'} ${v.text}`;
    case 'moved':
      return `${value(v.base)} ${MOVED_PAST_REST_DAYS}`;
  }
}

/** A condition as policy text; `nested` brackets a group that stands inside another. */
export function describeCond(c: Cond, nested = false): string {
  const group = (s: string) => (nested ? `(${s})` : s);
  switch (c.k) {
    case 'always':
      return 'true';
    case 'const':
      return String(c.value);
    case 'all':
      return group(c.items.map((i) => describeCond(i, true)).join(' and '));
    case 'any':
      return group(c.items.map((i) => describeCond(i, true)).join(' or '));
    case 'not':
      return `not ${describeCond(c.item, true)}`;
    case 'ref':
      return c.name;
    case 'flag':
      return c.path;
    case 'present':
      return `${c.path} ${operatorOf(c).words}`;
    case 'cmp':
      return `${value(c.left)} ${printed(operatorOf(c), c.domain === 'temporal')} ${value(c.right)}`;
    case 'oneOf':
      return `${value(c.left)} ${operatorOf(c).words} [${c.values.map(scalar).join(', ')}]`;
    case 'has':
      return `${c.path} ${operatorOf(c).words} ${c.mode === 'one' ? c.values[0] : `[${c.values.join(', ')}]`}`;
    case 'meets':
      return `${c.path} ${operatorOf(c).words} ${c.code}`;
  }
}

export function describeOutcome(o: CheckedOutcome): string {
  switch (o.k) {
    case 'deny':
      return 'deny';
    case 'verification':
    case 'label':
      return `require ${o.k} ${o.code}`;
    case 'disposal':
      return `take ${o.code}`;
    case 'retain':
      return `retain ${o.record} for ${o.periodText} from ${value(o.from)}`;
    case 'oblige':
      return `oblige ${o.code}${o.due ? ` due ${value(o.due)}` : ''}`;
  }
}

/** A rule as findings name it: its id and where it is. */
export const describeRule = (r: CheckedRule): string => `${r.id} at ${r.file}:${r.span.start.line}`;

/** A window of days, e.g. `from 2016-12-01` or `from 2016-12-01 until 2018-01-01`. */
export const describeWindow = (from: number, until: number | undefined): string => `from ${formatDate(from)}${until === undefined ? '' : ` until ${formatDate(until)}`}`;
