"""The full-text index over SearchDocument.tokens, one per database:

- PostgreSQL: a GIN index on to_tsvector('simple', tokens). The tokens are
  already Chinese words separated by spaces, so the 'simple' configuration
  (lower-casing, no stemming, no stop words) is the right one. The indexed
  expression is exactly what onestop.search.backends renders, so the planner
  uses it.
- SQLite: an FTS5 table with external content (the document table) kept in
  step by triggers; unicode61 splits on the spaces between the words.
"""

from django.db import migrations

PG_CREATE = (
    "CREATE INDEX search_tokens_fts ON search_searchdocument "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(tokens, '')))"
)
PG_DROP = "DROP INDEX IF EXISTS search_tokens_fts"

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
            _run({"postgresql": [PG_CREATE], "sqlite": SQLITE_CREATE}),
            _run({"postgresql": [PG_DROP], "sqlite": SQLITE_DROP}),
        )
    ]
