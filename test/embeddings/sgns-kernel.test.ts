import { describe, expect, it } from 'vitest';
import { assemble, generatedModule, WASM_SOURCES } from '../../scripts/assemble-wasm.js';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated WebAssembly modules', () => {
  for (const { wat, out, name } of WASM_SOURCES) {
    it(`${out} is the assembly of ${wat} (run scripts/assemble-wasm.ts after editing it)`, async () => {
      expect(await readFile(`${root}/${out}`, 'utf8')).toBe(generatedModule(wat, name, await assemble(wat)));
    });
  }
});
