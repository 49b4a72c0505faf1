-- Login throttling: failed sign-ins counted per submitted user name and per client address, shared by every server
-- replica (an attacker spreading attempts over replicas meets the same count). A row exists for any user name that
-- was tried, whether or not such a user exists, so a lockout tells nothing about which names are real.
create table login_attempt (
    -- 'user:<lower-cased user name>' or 'address:<client IP address>'
    subject           text        primary key check (subject ~ '^(user|address):.+' and length(subject) <= 300),
    -- Failures since window_started_at; reset when the window has passed, on a lockout and on a successful sign-in.
    failures          integer     not null check (failures >= 0),
    window_started_at timestamptz not null,
    -- Sign-ins for this subject are refused until then (null: not locked).
    locked_until      timestamptz
);
-- Old rows are removed by the server once their window and lockout are over.
create index login_attempt_window_idx on login_attempt (window_started_at);
