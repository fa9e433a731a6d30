"""The full-text index over SearchDocument.tokens, one per database:

- PostgreSQL: a stored generated column ``search_vector`` =
  to_tsvector('simple', tokens) with a GIN index. The tokens are already
  Chinese words separated by spaces, so the 'simple' configuration
  (lower-casing, no stemming, no stop words) is the right one. The column is
  stored rather than an index on the expression because a broad query
  (检测 matches most rows) is planned as a scan, which would otherwise
  recompute to_tsvector for every row (2 s instead of milliseconds at 50k
  rows; bench/search.py). Django's model does not know the column: the
  search selector names it in SQL on PostgreSQL only.
- SQLite: an FTS5 table with external content (the document table) kept in
  step by triggers; unicode61 splits on the spaces between the words.
"""

from django.db import migrations

PG_CREATE = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(tokens, ''))) STORED",
    "CREATE INDEX search_vector_gin ON search_searchdocument USING gin (search_vector)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS search_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "tokens, content='search_searchdocument', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE OF tokens ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def operation(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}),
            _run({"postgresql": PG_DROP, "sqlite": SQLITE_DROP}),
        )
    ]
