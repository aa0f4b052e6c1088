import { render } from 'preact';
import { config } from 'zod';
import { App } from './App.js';

// zod compiles parsers with `new Function` when it may; the page's CSP forbids eval, so say so up front.
config({ jitless: true });

const root = document.getElementById('app')!;
root.textContent = ''; // the "loading" line the page shows until the script runs
render(<App />, root);
