import { leanListSuite } from '../support/lean-list-suite.js';

// SeaweedFS: the same awkward keys as on RGW (newlines, entities, percent signs, non-ASCII).
leanListSuite('SeaweedFS', [
  'a b+c=d&e~ü',
  'amp&lt<gt>"q\'',
  'nl\nx',
  'cr\rx',
  'tab\tx',
  '%41%',
  '日本/é.txt',
]);
