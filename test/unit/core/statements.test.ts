// Statements are prepared once per database and SQL text.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { statement } from '../../../src/main/core/sql/statements';

describe('statement cache', () => {
  it('hands back the same prepared statement for the same database and SQL, and a separate one elsewhere', () => {
    const a = new Database(':memory:');
    const b = new Database(':memory:');
    const first = statement(a, 'SELECT 1');
    expect(statement(a, 'SELECT 1')).toBe(first);
    expect(statement(a, 'SELECT 2')).not.toBe(first);
    expect(statement(b, 'SELECT 1')).not.toBe(first);
    expect(statement(a, 'SELECT 1').pluck().get()).toBe(1);
  });
});
