-- needs: fts5-trigram
-- The request log's `mentions` filter (the requests whose body or query string holds a text: a Kartu Prakerja
-- number, an invoice or redeem code, an e-mail) answered from an index instead of reading every row's body.
--
-- request_log_fts: an FTS5 index of request_body and query cut into trigrams (every run of 3 characters,
-- case kept), over the log's own rows (external content: the text stays in request_log, rowid = id). A text of
-- 3 characters or more, searched as one phrase, finds the rows holding every trigram of it in a row of one
-- column: exactly the rows holding the text. The filter re-checks each found row with instr() anyway
-- (storage/text_search.py), so what it answers never depends on the tokenizer's reading of a character.
--
-- Triggers keep it with the log: an insert adds the row, a delete (the bound dropping the oldest rows) and an
-- update take the old text out. A wipe sets the triggers aside and empties it with 'delete-all'
-- (storage/sqlite.py); a reset that keeps the log inserts the kept rows again, through these triggers.
--
-- The first line asks for FTS5 with the trigram tokenizer (SQLite 3.34 or later, built with FTS5). A SQLite
-- without them records this migration without running it, and the filter reads every row (storage/sqlite.py).
CREATE VIRTUAL TABLE IF NOT EXISTS request_log_fts USING fts5(
    request_body, query, content = 'request_log', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
);
-- A log made before this index: its rows are indexed now.
INSERT INTO request_log_fts (request_log_fts) VALUES ('rebuild');

CREATE TRIGGER IF NOT EXISTS request_log_fts_insert AFTER INSERT ON request_log BEGIN
    INSERT INTO request_log_fts (rowid, request_body, query) VALUES (NEW.id, NEW.request_body, NEW.query);
END;
CREATE TRIGGER IF NOT EXISTS request_log_fts_delete AFTER DELETE ON request_log BEGIN
    INSERT INTO request_log_fts (request_log_fts, rowid, request_body, query)
        VALUES ('delete', OLD.id, OLD.request_body, OLD.query);
END;
CREATE TRIGGER IF NOT EXISTS request_log_fts_update AFTER UPDATE ON request_log BEGIN
    INSERT INTO request_log_fts (request_log_fts, rowid, request_body, query)
        VALUES ('delete', OLD.id, OLD.request_body, OLD.query);
    INSERT INTO request_log_fts (rowid, request_body, query) VALUES (NEW.id, NEW.request_body, NEW.query);
END;
