/**
 * Import cycles, type-only imports included, fail `npm run lint` (docs/design.md, "Stages and
 * import rules"). ESLint's `no-restricted-imports` rules enforce the stage direction; this
 * checks what they cannot: no module reaches itself again through its imports.
 */
/* global module */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle ties modules together (type-only imports count): move the shared type to src/model/ or to the module that owns it.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
