import { readFileSync } from 'node:fs';
import path from 'node:path';

// package.json sits one level above both src/ (tests) and dist/ (built), so one path serves both.
export const VERSION: string = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
