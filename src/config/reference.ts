import { z } from 'zod';
import { configSchema } from './schema.js';

/** A JSON-schema node as zod emits it (only the fields the reference reads). */
interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/**
 * The config reference in Markdown, generated from the schema itself (descriptions, types,
 * defaults), so the docs cannot drift from what the loader accepts.
 */
export function configReference(): string {
  const root = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
  const out: string[] = [];
  for (const [section, node] of Object.entries(root.properties ?? {})) {
    if (section === 'models') {
      for (const variant of variantsOf(node.items)) {
        const type = String(variant.properties?.type?.const ?? '?');
        out.push(`### models: \`type: ${type}\``, '', ...table(variant, '', ['type']), '');
      }
      continue;
    }
    out.push(`### \`${section}:\``, '', ...(node.description ? [node.description, ''] : []), ...table(node, `${section}.`), '');
  }
  return out.join('\n').trimEnd() + '\n';
}

function variantsOf(node: SchemaNode | undefined): SchemaNode[] {
  return node?.oneOf ?? node?.anyOf ?? [];
}

function table(node: SchemaNode, prefix: string, skip: string[] = []): string[] {
  const rows = ['| key | type | default | meaning |', '|---|---|---|---|'];
  const visit = (n: SchemaNode, path: string): void => {
    for (const [key, child] of Object.entries(n.properties ?? {})) {
      if (skip.includes(key) && path === prefix) continue;
      const required = n.required?.includes(key) && child.default === undefined;
      const def = required ? '*required*' : child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
      rows.push(`| \`${path}${key}\` | ${typeOf(child)} | ${def} | ${describe(child)} |`);
      if (child.properties && !variantsOf(child).length) visit(child, `${path}${key}.`);
      if (child.items?.properties) visit(child.items, `${path}${key}[].`);
    }
  };
  visit(node, prefix);
  return rows;
}

function typeOf(n: SchemaNode): string {
  if (n.enum) return n.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  const variants = variantsOf(n);
  if (variants.length) return variants.map((v) => String(v.properties?.type?.const ?? typeOf(v))).join(' \\| ');
  if (n.type === 'array') return `list of ${n.items ? typeOf(n.items) : 'values'}`;
  const base = Array.isArray(n.type) ? n.type.join(' \\| ') : (n.type ?? 'any');
  const lower = n.minimum !== undefined ? `>= ${n.minimum}` : n.exclusiveMinimum !== undefined ? `> ${n.exclusiveMinimum}` : '';
  const hi = n.maximum ?? n.exclusiveMaximum;
  const upper = hi !== undefined && hi < 1e15 ? `${n.maximum !== undefined ? '<=' : '<'} ${hi}` : '';
  const range = [lower, upper].filter(Boolean).join(', ');
  return range ? `${base} ${range}` : base;
}

function describe(n: SchemaNode): string {
  return (n.description ?? variantsOf(n).map((v) => v.description ?? '').filter(Boolean).join('; ')).replace(/\|/g, '\\|');
}
