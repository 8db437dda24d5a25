// Shape of one schema migration: a version number and the SQL work that brings the database to it.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
