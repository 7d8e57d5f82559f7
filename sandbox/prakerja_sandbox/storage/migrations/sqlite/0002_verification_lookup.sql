-- The pending verifications of one redeem code and sequence (url-generate, the verification shortcut) were
-- found by reading the whole table.
CREATE INDEX IF NOT EXISTS verifications_redeem_code ON verifications (redeem_code, sequence);
