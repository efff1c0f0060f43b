#!/usr/bin/env node
// The ops CLI as a package bin (`npx ota …`): TypeScript is loaded through tsx, as `npm run ota` does,
// and nothing but the command's own output reaches stdout.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/ota.ts');
await main();
