import type { MetadataConfig, MetadataFieldConfig } from '../config/embeddings-schema.js';
import { columnIndex, readDelimited } from '../data/csv.js';
import type { ItemMetadata } from '../data/types.js';
import { InternalError } from '../util/errors.js';

/**
 * Item metadata for Meta-Prod2vec, read from a delimited file: one item column plus one or more
 * metadata columns. The first row of an item wins, so the event log itself can serve as the
 * metadata file (Online Retail: StockCode + Description on every line).
 */
export async function readItemMetadata(cfg: MetadataConfig): Promise<ItemMetadata> {
  const values = new Map<string, string[][]>();
  let itemCol = -1;
  let fieldCols: number[] = [];
  await readDelimited(
    cfg.path,
    {
      header: cfg.header,
      ...(cfg.delimiter !== undefined ? { delimiter: cfg.delimiter } : {}),
      ...(cfg.columnNames !== undefined ? { columnNames: cfg.columnNames } : {}),
      onHeader: (header) => {
        itemCol = columnIndex(header, cfg.itemColumn, cfg.path, 'prod2vec.metadata.itemColumn');
        fieldCols = cfg.fields.map((f, i) => columnIndex(header, f.column, cfg.path, `prod2vec.metadata.fields.${i}.column`));
      },
    },
    (fields) => {
      const itemId = fields[itemCol];
      if (itemId === undefined || itemId === '' || values.has(itemId)) return;
      values.set(
        itemId,
        cfg.fields.map((f, i) => metadataValues(fields[fieldCols[i] ?? -1] ?? '', f)),
      );
    },
  );
  if (itemCol < 0) throw new InternalError('metadata header callback never ran');
  return { fields: cfg.fields.map((f) => f.column), values };
}

/** The metadata values of one cell: split, derived, trimmed, empty ones dropped, deduplicated. */
export function metadataValues(cell: string, field: MetadataFieldConfig): string[] {
  const parts = field.split !== undefined ? cell.split(field.split) : [cell];
  const out: string[] = [];
  for (const part of parts) {
    const value = field.derive === 'lastWord' ? productTypeWord(part) : part.trim();
    if (value !== '' && !out.includes(value)) out.push(value);
  }
  return out;
}

/**
 * Words that describe size, colour, pattern or pack size rather than the kind of product; they
 * often end an Online Retail description ("CAKE TINS PINK", "LUNCH BAG RED RETROSPOT").
 */
const NON_TYPE_WORDS = new Set(
  (
    'SMALL LARGE MEDIUM MINI JUMBO BIG GIANT TINY XL SET OF PACK SETS PACKS ASSORTED ASSTD ' +
    'RED PINK BLUE GREEN WHITE BLACK IVORY CREAM GOLD SILVER PURPLE YELLOW ORANGE BROWN GREY GRAY ' +
    'NATURAL CLEAR PASTEL BRIGHT COLOUR COLOURS COLOURED RETROSPOT SPOT SPOTS DESIGN DESIGNS ' +
    'VINTAGE RETRO SIZE SINGLE CM MM W WITH AND THE IN'
  ).split(' '),
);

/**
 * The product-type noun of an Online Retail description (the `lastWord` derivation): upper-case,
 * non-letters become spaces, one-letter words and NON_TYPE_WORDS are dropped, the last remaining
 * word is kept and a plural S (not SS) is dropped from words longer than 3 letters. Empty (no
 * value) when nothing remains. On the full 2009-2010 log this gives 562 values for 2,534 items.
 */
export function productTypeWord(description: string): string {
  const words = description
    .toUpperCase()
    .replace(/[^A-Z]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 1 && !NON_TYPE_WORDS.has(w));
  const last = words[words.length - 1] ?? '';
  return last.length > 3 && last.endsWith('S') && !last.endsWith('SS') ? last.slice(0, -1) : last;
}
