// Spreadsheets run a cell starting with = + - @ (or a tab / carriage return that precedes
// one) as a formula: an image named "=HYPERLINK(...)" would execute on opening the report.
// Such text cells get a leading single quote, which spreadsheets show as plain text; numbers
// are written by the number caster and never pass through here, so they stay numbers.
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeCsvText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
