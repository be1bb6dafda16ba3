// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layering of ../DESIGN.md, enforced: each zone lists what a folder must not import.
 * Arrows point down the table (core < router, execution, ledger < metrics < analysis < rollout <
 * control < engine, embed < ccxt, protocol < server, fleet, live < cli; report sits beside
 * control, on core);
 * feeds and strategies depend on core only.
 */
const layering = [
  { target: './src/core', from: ['./src/!(core)/**', './feeds/**', './strategies/**'] },
  { target: './src/router', from: ['./src/!(core|router)/**', './feeds/**', './strategies/**'] },
  {
    target: './src/execution',
    from: ['./src/!(core|execution)/**', './feeds/**', './strategies/**'],
  },
  { target: './src/ledger', from: ['./src/!(core|ledger)/**', './feeds/**', './strategies/**'] },
  {
    target: './src/metrics',
    from: ['./src/!(core|ledger|metrics)/**', './feeds/**', './strategies/**'],
  },
  {
    target: './src/analysis',
    from: ['./src/!(core|metrics|ledger|analysis)/**', './feeds/**', './strategies/**'],
  },
  {
    target: './src/rollout',
    from: ['./src/!(core|router|analysis|rollout)/**', './feeds/**', './strategies/**'],
  },
  {
    // A rollout run on a host that trades: the controller, analysis and guardrails, nothing above.
    target: './src/control',
    from: [
      './src/!(core|ledger|metrics|analysis|rollout|control)/**',
      './feeds/**',
      './strategies/**',
    ],
  },
  {
    // The replay: feeds, strategies and every layer below it; never the embed, live, server,
    // fleet or command-line code that sits on top of it.
    target: './src/engine',
    from: [
      './src/!(core|router|execution|ledger|metrics|analysis|rollout|control|report|engine)/**',
    ],
  },
  { target: './src/report', from: ['./src/!(core|report)/**', './feeds/**', './strategies/**'] },
  {
    target: './src/embed',
    from: [
      './src/!(core|ledger|metrics|router|rollout|control|engine|embed)/**',
      './feeds/**',
      './strategies/**',
    ],
  },
  {
    // The ccxt adapter: ccxt's orders and trades as the embed's reports (types only from ccxt).
    target: './src/ccxt',
    from: ['./src/!(core|ledger|embed|ccxt)/**', './feeds/**', './strategies/**'],
  },
  {
    // Notifications: a rollout's audit records (through the embed's Canary) sent to webhooks.
    target: './src/notify',
    from: ['./src/!(core|embed|rollout|notify)/**', './feeds/**', './strategies/**'],
  },
  {
    // The fleet protocol: the messages and frames, and the types they carry.
    target: './src/protocol',
    from: [
      './src/!(core|embed|report|rollout|metrics|protocol)/**',
      './feeds/**',
      './strategies/**',
    ],
  },
  {
    target: './src/server',
    from: [
      './src/!(core|embed|report|rollout|metrics|analysis|protocol|server)/**',
      './feeds/**',
      './strategies/**',
    ],
  },
  {
    // A fleet's agent: the protocol and the router (its tests start a server).
    target: './src/fleet',
    from: [
      './src/!(core|embed|report|rollout|router|protocol|server|fleet)/**',
      './feeds/**',
      './strategies/**',
    ],
  },
  {
    // Live mode: a bot on a live feed (feeds), the replay's engine and strategies, reporting to
    // a rollout through the embed's report types; the agent it reports through is passed in.
    target: './src/live',
    from: ['./src/!(core|router|execution|metrics|control|engine|embed|rollout|live)/**'],
  },
  { target: './feeds/**', from: ['./src/!(core)/**', './strategies/**'] },
  { target: './strategies', from: ['./src/!(core)/**', './feeds/**'] },
  { target: './src/!(cli)/**', from: ['./src/cli/**'] },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**', 'coverage/**', 'test-output/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layering }],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Seeded RNG only (src/core/seeded-rng.ts).',
        },
      ],
    },
  },
  {
    files: [
      'src/engine/**',
      'src/execution/**',
      'src/ledger/**',
      'src/metrics/**',
      'src/router/**',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Seeded RNG only.' },
        { object: 'Date', property: 'now', message: 'Event time only: use the engine clock.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
