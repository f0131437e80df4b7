/**
 * Import rules of the layers (npm test runs `depcruise` with this file):
 * contract/ is the wire shared by server and console; the console never reaches into server/ or db/;
 * db/ is below everything; sfu/ talks to mediasoup only; and no module imports itself round a circle.
 */
/* global module */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: break it (infrastructure in server/context.ts, fan-out in server/realtime/).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'console-not-to-server-or-db',
      severity: 'error',
      comment: 'The console shares wire types with the server through contract/ only.',
      from: { path: '^console/' },
      to: { path: '^(server|db|sfu|platform-sim)/' },
    },
    {
      name: 'db-not-upwards',
      severity: 'error',
      comment: 'db/ (schema, migrations, connection) sits below server/ and console/: it imports only contract/ (value lists).',
      from: { path: '^db/' },
      to: { path: '^(server|console|sfu|platform-sim)/' },
    },
    {
      name: 'contract-only-zod',
      severity: 'error',
      comment: 'contract/ is imported by both sides, so it imports only zod and itself.',
      from: { path: '^contract/' },
      to: { path: '^(server|console|db|sfu|seed|platform-sim)/' },
    },
    {
      name: 'sfu-only-mediasoup',
      severity: 'error',
      comment: 'sfu/ wraps mediasoup: it knows nothing of the product above it.',
      from: { path: '^sfu/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^sfu/', '^node_modules/mediasoup/'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.vue', '.d.ts'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
