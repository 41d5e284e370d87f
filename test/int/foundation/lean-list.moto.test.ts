import { leanListSuite } from '../support/lean-list-suite.js';

// moto sends a control character raw in plain XML; encoding-type=url is what keeps it intact.
leanListSuite('moto', [
  'a b+c=d&e~ü',
  'amp&lt<gt>"q\'',
  'ctl\u0001x',
  'cr\rx',
  'tab\tx',
  '%41%',
  '日本/é.txt',
]);
