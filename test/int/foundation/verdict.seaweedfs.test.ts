// verify --live and encrypt behind a lying proxy in front of a real SeaweedFS (see verdict-suite.ts).
import { verdictSuite } from '../support/verdict-suite.js';

verdictSuite();
