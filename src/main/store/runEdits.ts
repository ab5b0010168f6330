/**
 * What a user edits on a run after the fact: its name, tags and notes. Tags live one per row in
 * run_tags (indexed by tag, so filtering and counting by tag never reads the runs' configs).
 */
import type Database from 'better-sqlite3';

export interface RunEdit {
  name?: string | undefined;
  /** Replaces the run's tags; blanks dropped, duplicates kept once. */
  tags?: readonly string[] | undefined;
  notes?: string | undefined;
}

function prepareStatements(db: Database.Database) {
  return {
    name: db.prepare<[string, string]>('UPDATE runs SET name = ? WHERE id = ?'),
    notes: db.prepare<[string, string]>('UPDATE runs SET notes = ? WHERE id = ?'),
    clearTags: db.prepare<[string]>('DELETE FROM run_tags WHERE run_id = ?'),
    addTag: db.prepare<[string, string]>('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)'),
  };
}

export class RunEditsRepo {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
  }

  /** Applies the edit (call inside a transaction; the run must exist). */
  apply(runId: string, edit: RunEdit): void {
    if (edit.name !== undefined) this.sql.name.run(edit.name, runId);
    if (edit.notes !== undefined) this.sql.notes.run(edit.notes, runId);
    if (edit.tags !== undefined) {
      this.sql.clearTags.run(runId);
      for (const tag of normalizeTags(edit.tags)) this.sql.addTag.run(runId, tag);
    }
  }
}

/** Tags as stored: trimmed, blanks dropped, each once, in the order given. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))];
}
