// Temporal visibility queries, built in one place from the typed search-attribute keys and the
// system attributes, with values quoted so no input can change a query's meaning.
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

/** Temporal's own attributes that Herald filters on. */
type SystemAttribute = 'WorkflowType' | 'TaskQueue' | 'ExecutionStatus' | 'CloseTime';

export type Clause = string;

export function quote(value: string): string {
  return `'${value.replace(/['\\]/g, '\\$&')}'`;
}

export function equals(attribute: SystemAttribute | SearchAttributeKey<SearchAttributeType>, value: string): Clause {
  return `${typeof attribute === 'string' ? attribute : attribute.name} = ${quote(value)}`;
}

export function oneOf(attribute: SystemAttribute, values: readonly string[]): Clause {
  return `${attribute} IN (${values.map(quote).join(', ')})`;
}

export function after(attribute: 'CloseTime', at: Date): Clause {
  return `${attribute} > ${quote(at.toISOString())}`;
}

export function all(clauses: readonly Clause[]): string {
  return clauses.join(' AND ');
}
