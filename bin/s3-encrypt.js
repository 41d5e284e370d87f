#!/usr/bin/env node
import { main } from '../dist/s3-encrypt.mjs';

await main();
