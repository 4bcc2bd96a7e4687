-- pgbench script: the raw-SQL ceiling of a transfer transaction (lock two accounts in id
-- order, update both, insert an entry and two postings) on tables shaped like the ledger's.
\set a random(1, 10000)
\set b random(1, 10000)
BEGIN;
SELECT id FROM bench_accounts WHERE id IN (:a, :b) ORDER BY id FOR UPDATE;
UPDATE bench_accounts SET balance = balance - 100, version = version + 1 WHERE id = :a;
UPDATE bench_accounts SET balance = balance + 100, version = version + 1 WHERE id = :b;
INSERT INTO bench_entries (reference, amount) VALUES (md5(random()::text), 100) RETURNING id \gset
INSERT INTO bench_postings (entry_id, account_id, amount) VALUES (:id, :a, -100), (:id, :b, 100);
COMMIT;
