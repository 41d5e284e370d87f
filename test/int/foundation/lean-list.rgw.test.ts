import { leanListSuite } from '../support/lean-list-suite.js';

// RGW sends an apostrophe as &apos; even inside a URL-encoded key, and accepts newlines in keys.
leanListSuite('Ceph RGW', [
  'a b+c=d&e~ü',
  'amp&lt<gt>"q\'',
  'nl\nx',
  'cr\rx',
  'tab\tx',
  '%41%',
  '日本/é.txt',
]);
