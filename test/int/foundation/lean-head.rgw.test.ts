import { leanHeadSuite } from '../support/lean-head-suite.js';

leanHeadSuite('Ceph RGW');
