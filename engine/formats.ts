// The two formats events use, for the fast validator (validate.ts). The usual spelling of a date
// (2017-06-01) or a time (2017-06-01T12:00:00+08:00, …Z, with or without fractions of a second) is
// recognised by its characters alone, without the regular expressions, split and match arrays
// ajv-formats spends on every value; anything else, valid or not, is left to ajv-formats. So these
// accept exactly what ajv-formats accepts (test/engine/formats.test.ts).
import type { FormatDefinition } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { parseDate, usualTimeDay } from '../language/calendar.js';

type Check = (s: string) => boolean;
const full = (name: 'date' | 'date-time'): Check => (fullFormats[name] as { validate: Check }).validate;
const fullDate = full('date');
const fullDateTime = full('date-time');

export const quickFormats: Record<'date' | 'date-time', FormatDefinition<string>> = {
  date: { type: 'string', validate: (s) => parseDate(s) !== undefined || fullDate(s) },
  'date-time': { type: 'string', validate: (s) => usualTimeDay(s) !== undefined || fullDateTime(s) },
};
