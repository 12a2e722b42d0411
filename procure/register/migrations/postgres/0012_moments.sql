-- One text for every moment the register keeps as text: UTC ISO 8601 as Python writes it
-- (`2026-11-28T17:30:00.123456+00:00`, the fraction left out when it is zero), as quotes, events and the customer
-- link's requests always had. The users', sessions', carried files' and links' moments were written
-- `2026-11-28T17:30:00.123456Z` (0005_users, 0006_sessions, 0009_customer_links): rewritten here, so that each
-- column compares as text in one form.
UPDATE users SET created_at = CASE WHEN created_at LIKE '%.000000Z' THEN substr(created_at, 1, 19) || '+00:00' ELSE substr(created_at, 1, 26) || '+00:00' END WHERE created_at LIKE '%Z';
UPDATE users SET changed_at = CASE WHEN changed_at LIKE '%.000000Z' THEN substr(changed_at, 1, 19) || '+00:00' ELSE substr(changed_at, 1, 26) || '+00:00' END WHERE changed_at LIKE '%Z';
UPDATE users SET disabled_at = CASE WHEN disabled_at LIKE '%.000000Z' THEN substr(disabled_at, 1, 19) || '+00:00' ELSE substr(disabled_at, 1, 26) || '+00:00' END WHERE disabled_at LIKE '%Z';
UPDATE sign_in_failures SET failed_at = CASE WHEN failed_at LIKE '%.000000Z' THEN substr(failed_at, 1, 19) || '+00:00' ELSE substr(failed_at, 1, 26) || '+00:00' END WHERE failed_at LIKE '%Z';
UPDATE web_sessions SET created_at = CASE WHEN created_at LIKE '%.000000Z' THEN substr(created_at, 1, 19) || '+00:00' ELSE substr(created_at, 1, 26) || '+00:00' END WHERE created_at LIKE '%Z';
UPDATE web_sessions SET last_seen = CASE WHEN last_seen LIKE '%.000000Z' THEN substr(last_seen, 1, 19) || '+00:00' ELSE substr(last_seen, 1, 26) || '+00:00' END WHERE last_seen LIKE '%Z';
UPDATE web_carried SET kept_at = CASE WHEN kept_at LIKE '%.000000Z' THEN substr(kept_at, 1, 19) || '+00:00' ELSE substr(kept_at, 1, 26) || '+00:00' END WHERE kept_at LIKE '%Z';
UPDATE customer_links SET created_at = CASE WHEN created_at LIKE '%.000000Z' THEN substr(created_at, 1, 19) || '+00:00' ELSE substr(created_at, 1, 26) || '+00:00' END WHERE created_at LIKE '%Z';
UPDATE customer_links SET expires_at = CASE WHEN expires_at LIKE '%.000000Z' THEN substr(expires_at, 1, 19) || '+00:00' ELSE substr(expires_at, 1, 26) || '+00:00' END WHERE expires_at LIKE '%Z';
UPDATE customer_links SET last_used_at = CASE WHEN last_used_at LIKE '%.000000Z' THEN substr(last_used_at, 1, 19) || '+00:00' ELSE substr(last_used_at, 1, 26) || '+00:00' END WHERE last_used_at LIKE '%Z';
UPDATE customer_links SET revoked_at = CASE WHEN revoked_at LIKE '%.000000Z' THEN substr(revoked_at, 1, 19) || '+00:00' ELSE substr(revoked_at, 1, 26) || '+00:00' END WHERE revoked_at LIKE '%Z';
UPDATE link_uses SET used_at = CASE WHEN used_at LIKE '%.000000Z' THEN substr(used_at, 1, 19) || '+00:00' ELSE substr(used_at, 1, 26) || '+00:00' END WHERE used_at LIKE '%Z';
