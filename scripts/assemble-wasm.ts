/**
 * Assembles the project's WebAssembly text sources into TypeScript modules that hold the binary
 * (base64), so the build and the tests need no wasm files at run time. Run after editing a .wat:
 *   npx tsx scripts/assemble-wasm.ts
 * test/embeddings/sgns-kernel.test.ts fails while a generated module is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

export const WASM_SOURCES = [{ wat: 'src/embeddings/sgns-kernel.wat', out: 'src/embeddings/sgns-kernel.generated.ts', name: 'SGNS_KERNEL_BASE64' }];

const root = fileURLToPath(new URL('..', import.meta.url));

/** The binary of a .wat source (SIMD enabled). */
export async function assemble(watPath: string): Promise<Uint8Array> {
  const tools = await wabt();
  const module = tools.parseWat(watPath, await readFile(`${root}/${watPath}`, 'utf8'), { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** The generated TypeScript module for `bytes`. */
export function generatedModule(source: string, name: string, bytes: Uint8Array): string {
  return `// Generated from ${source} by scripts/assemble-wasm.ts; do not edit.\nexport const ${name} =\n  '${Buffer.from(bytes).toString('base64')}';\n`;
}

async function main(): Promise<void> {
  for (const { wat, out, name } of WASM_SOURCES) {
    await writeFile(`${root}/${out}`, generatedModule(wat, name, await assemble(wat)));
    process.stdout.write(`${wat} -> ${out}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
