// verify --live and encrypt behind a lying proxy in front of moto (see verdict-suite.ts).
import { verdictSuite } from '../support/verdict-suite.js';

verdictSuite();
