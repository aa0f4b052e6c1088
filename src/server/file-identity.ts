import { existsSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';

/**
 * Which ledger a SQLite file belongs to, written into the file itself: the ledger file and the inbox
 * each carry one row naming the ledger (its id and public key) and the file (a random id made when
 * the file was created). The key's state file (ledger-state.json) names the same file ids, so a file
 * swapped for another ledger's, re-created empty, or replaced by a different copy is noticed at start.
 * The row lives in its own table: the event table, and every signed byte in it, are left alone.
 */
export type FileRole = 'ledger' | 'inbox';
export type FileIdentity = { role: FileRole; ledgerId: string; publicKey: string; fileId: string; createdAt: string };

/** What is at a path before anything opens it: nothing, an empty file, or a SQLite file (with or without an identity). */
export type FileProbe = { kind: 'missing' } | { kind: 'empty' } | { kind: 'file'; identity: FileIdentity | undefined };

const TABLE = 'custody_file_identity';

export const newFileId = (): string => randomBytes(16).toString('hex');

export function probeFile(path: string, role: FileRole): FileProbe {
  if (!existsSync(path)) return { kind: 'missing' };
  if (statSync(path).size === 0) return { kind: 'empty' };
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(TABLE);
    if (table === undefined) return { kind: 'file', identity: undefined };
    const row = db
      .prepare(`SELECT role, ledger_id AS ledgerId, public_key AS publicKey, file_id AS fileId, created_at AS createdAt FROM ${TABLE} WHERE role = ?`)
      .get(role) as FileIdentity | undefined;
    return { kind: 'file', identity: row };
  } finally {
    db.close();
  }
}

/** Writes (or replaces) the file's identity row; the file is created if it does not exist. */
export function writeFileIdentity(path: string, identity: FileIdentity): void {
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 5000');
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (role TEXT PRIMARY KEY, ledger_id TEXT NOT NULL, public_key TEXT NOT NULL, file_id TEXT NOT NULL, created_at TEXT NOT NULL)`,
    );
    db.prepare(`INSERT OR REPLACE INTO ${TABLE} (role, ledger_id, public_key, file_id, created_at) VALUES (?, ?, ?, ?, ?)`).run(
      identity.role,
      identity.ledgerId,
      identity.publicKey,
      identity.fileId,
      identity.createdAt,
    );
  } finally {
    db.close();
  }
}
