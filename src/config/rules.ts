import type { ExperimentConfig } from './schema.js';
import { itemEmbeddingsIssue } from './neural-schema.js';

/**
 * Cross-field rules that one field's schema cannot express. Returns every violation at once,
 * each prefixed with its dotted path.
 */
export function validateRules(config: ExperimentConfig): string[] {
  const errors: string[] = [];
  const { data } = config;
  if (data.split.type === 'last-session' && data.columns.user === undefined) {
    errors.push('data.split: the last-session split needs data.columns.user; use {type: time, days: N} for logs without users');
  }
  if (data.columns.session === undefined && data.columns.user === undefined) {
    errors.push('data.columns: give a session column, or a user column to cut sessions by idle gap');
  }
  if (!data.header && data.columnNames === undefined) {
    errors.push('data.columnNames: a file without a header row needs the column names');
  }
  const labels = new Map<string, number>();
  config.models.forEach((model, i) => {
    const label = model.name ?? model.type;
    const previous = labels.get(label);
    if (previous !== undefined) {
      errors.push(`models.${i}.name: "${label}" is already used by models.${previous}; give each model a distinct name`);
    }
    labels.set(label, i);
    const issue = model.type === 'gru4rec' || model.type === 'hrnn' ? itemEmbeddingsIssue(model) : null;
    if (issue !== null) errors.push(`models.${i}.itemEmbeddings: ${issue}`);
  });
  return errors;
}
