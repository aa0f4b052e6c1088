import { sha256Cases } from './hash-cases.js';

sha256Cases('sha256, through node:crypto\'s one-shot hash');
