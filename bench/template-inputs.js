// Pathological email template parts (issue 27): what a quadratic check of HTML, CSS, placeholders or links in
// words would take seconds on. Used by bench/run.js (`template_check_ms_100k`) and the unit test of linear time.
const UNITS = [
  '<',
  '<a ',
  '&#',
  '&am',
  '<a x="',
  '<!--',
  '<div>',
  '<b><i><u>',
  '<table>',
  '<a>',
  '<p>',
  '{{',
  '{{ a',
  'x ',
  '<p>a.b ',
  'a.',
  'http://a.b/(',
  "http://a.b/'",
  '<p>http://a.b/( ',
  '<p style="a:f(',
  '<style>a{b:url(',
  '<select><option>',
];

/** Each unit repeated to `size` characters after `{{link}}` (which the reset email needs), as [unit, part]. */
const pathologicalParts = (size) => UNITS.map((unit) => [unit, `{{link}}${unit.repeat(Math.floor((size - 8) / unit.length))}`]);

module.exports = { pathologicalParts };
