#!/usr/bin/env -S node --max-old-space-size=512
// The hub is TypeScript run directly by Node 24; the `node` dependency puts Node 24 on npm's PATH.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`cmehub needs Node 22 or later (this is ${process.version}). Run it through npm: npx cmehub ...`);
  process.exit(1);
}
await import('../src/cli/main.ts');
