#!/usr/bin/env -S node --max-old-space-size=512 --liftoff-only
// The hub is TypeScript run directly by Node 24; the `node` dependency puts Node 24 on npm's PATH.
// The flags above are the hub's (npm start and npm run cmehub come through here too): the V8 old generation
// capped at 512 MB, so that it is collected before it grows to several times what the hub holds; and
// WebAssembly (the embedded PGlite database, nothing else) kept on V8's baseline compiler: optimising PGlite's
// large functions took a million-row PGlite import to 908 MiB, against 444 MiB without (which costs 14-22%
// of PGlite's import rate).
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`cmehub needs Node 22 or later (this is ${process.version}). Run it through npm: npx cmehub ...`);
  process.exit(1);
}
// The modules compiled once are kept on disk (in the system's temporary folder): each command starts 0.3-0.4 s sooner.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import('../src/cli/main.ts');
