import { render } from 'preact';
import { config } from 'zod';
import { App } from './App.js';

// zod compiles parsers with `new Function` when it may; the page's CSP forbids eval, so say so up front.
config({ jitless: true });

render(<App />, document.getElementById('app')!);
