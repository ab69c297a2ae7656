import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference } from '../../src/config/reference.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the two quick-start commands: the demo run and npm test', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = firstBlock.trim().split('\n');
    expect(lines[0]).toMatch(/^npm ci && npx hrnn train --config configs\/demo\.yaml/);
    expect(lines[1]).toMatch(/^npm test\b/);
  });

  it('carries the config reference generated from the schema (run `npx hrnn config-reference` to refresh it)', () => {
    const section = /<!-- config-reference:start -->\n([\s\S]*?)<!-- config-reference:end -->/.exec(readme)?.[1] ?? '';
    expect(section.trim()).toBe(configReference().trim());
  });
});
