// An independent DuckDB client (the official Node.js API, DuckDB 1.5) opens the
// published snapshot read-only and reads the pilot's numbers: the snapshot is a
// plain DuckDB file that any DuckDB 1.5 tool can open.
// usage: node snapshot-reader.mjs SNAPSHOT.duckdb
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
const conn = await db.connect();
const reader = await conn.runAndReadAll(
  `SELECT ward, registered, recognised FROM progress_monthly
   WHERE level = 'ward' AND month = '2021-07' ORDER BY ward`);
const rows = reader.getRowObjects();
console.log(JSON.stringify(rows, (k, v) => (typeof v === 'bigint' ? Number(v) : v)));
const total = rows.reduce((n, r) => n + Number(r.registered), 0);
if (total !== 31) {
  console.error(`expected the pilot's 31 registrants, read ${total}`);
  process.exit(1);
}
