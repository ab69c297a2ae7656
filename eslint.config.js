import tseslint from 'typescript-eslint';

// tfjs stays inside the model, training and backend code; data, config, evaluation and reports
// are plain TypeScript over typed arrays (see the style guide).
const noTensorFlow = {
  'no-restricted-imports': [
    'error',
    { patterns: [{ group: ['@tensorflow/*'], message: 'TensorFlow.js belongs in src/models, src/train or src/util/backend.ts' }] },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**', '.hrnn-cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/cli/**', 'src/config/**', 'src/data/**', 'src/eval/**', 'src/report/**', 'src/experiment/**', 'src/embeddings/**'],
    rules: noTensorFlow,
  },
);
