import { z } from 'zod';

// The dashboard's Content-Security-Policy forbids eval. Zod's compiled fast path probes for it with
// `new Function`, which the browser reports as a policy violation even though zod catches the refusal; its
// jitless mode never probes. It must run before any schema is built, so main.tsx imports this module first.
z.config({ jitless: true });
