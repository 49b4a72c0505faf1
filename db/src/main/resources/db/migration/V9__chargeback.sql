-- Finance: cost centres, rate cards, closed months with their frozen statements, and adjustments.
-- Money is numeric throughout; amounts are rounded once, per line, to the currency's minor unit (see
-- io.vgpuhub.metering.chargeback.Money), and every subtotal and total is a sum of rounded lines.

-- ---------------------------------------------------------------------------------------------------------
-- Cost centres: each tenant has one root cost centre (made with the tenant) and may have sub cost centres under
-- it, one level deep. A slice bills to one cost centre of its own tenant.
-- ---------------------------------------------------------------------------------------------------------
create table cost_centre (
    id          bigint generated always as identity primary key,
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    parent_id   bigint,
    -- The code finance books against (e.g. CC-4711); unique within the tenant.
    code        text        not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$'),
    name        text        not null check (length(trim(name)) between 1 and 100),
    created_at  timestamptz not null default now(),
    unique (tenant_id, code),
    unique (id, tenant_id),
    foreign key (parent_id, tenant_id) references cost_centre (id, tenant_id),
    check (parent_id is null or parent_id <> id)
);
create unique index cost_centre_root_idx on cost_centre (tenant_id) where parent_id is null;

-- Sub cost centres hang off the root, one level deep, so a statement's grouping stays two levels.
create function cost_centre_depth_check() returns trigger language plpgsql as $$
begin
    if new.parent_id is not null
       and (select parent_id from cost_centre where id = new.parent_id for share) is not null then
        raise exception 'cost centre % may only sit under its tenant''s root cost centre', new.code using errcode = '23514';
    end if;
    return new;
end $$;
create trigger cost_centre_depth_check before insert or update of parent_id on cost_centre
    for each row execute function cost_centre_depth_check();

-- Every tenant gets its root cost centre when it is made, whichever code path makes it.
create function tenant_root_cost_centre() returns trigger language plpgsql as $$
begin
    insert into cost_centre (tenant_id, code, name) values (new.id, 'TENANT-' || new.id, new.name);
    return new;
end $$;
create trigger tenant_root_cost_centre after insert on tenant
    for each row execute function tenant_root_cost_centre();

insert into cost_centre (tenant_id, code, name) select id, 'TENANT-' || id, name from tenant;

alter table slice add column cost_centre_id bigint;
update slice s set cost_centre_id = c.id from cost_centre c where c.tenant_id = s.tenant_id and c.parent_id is null;
alter table slice alter column cost_centre_id set not null,
    -- A slice bills only to a cost centre of its own tenant.
    add foreign key (cost_centre_id, tenant_id) references cost_centre (id, tenant_id);
create index slice_cost_centre_idx on slice (cost_centre_id);

-- A slice requested without a cost centre bills to its tenant's root.
create function slice_default_cost_centre() returns trigger language plpgsql as $$
begin
    if new.cost_centre_id is null then
        new.cost_centre_id := (select id from cost_centre where tenant_id = new.tenant_id and parent_id is null);
        if new.cost_centre_id is null then
            raise exception 'tenant % does not exist', new.tenant_id
                using errcode = '23503', constraint = 'slice_tenant_id_fkey';
        end if;
    end if;
    return new;
end $$;
create trigger slice_default_cost_centre before insert on slice
    for each row execute function slice_default_cost_centre();

-- ---------------------------------------------------------------------------------------------------------
-- Rate cards: prices per offering per allocated hour and per license edition per seat-hour, in force from the
-- start (00:00 UTC) of effective_from until the next card's. A card is made before it takes effect and never
-- changes once it has, so a new card never reprices the past.
-- ---------------------------------------------------------------------------------------------------------
create table rate_card (
    id              bigint generated always as identity primary key,
    effective_from  date        not null unique,
    -- ISO 4217; a card that changes the currency takes effect on the first of a month, so a month has one currency.
    currency        text        not null check (currency ~ '^[A-Z]{3}$'),
    name            text        not null check (length(trim(name)) between 1 and 100),
    notes           text        check (length(notes) <= 2000),
    created_by      bigint      references app_user (id),
    created_at      timestamptz not null default now()
);

create table rate_card_offering (
    rate_card_id    bigint         not null references rate_card (id) on delete cascade,
    offering_id     bigint         not null references offering (id),
    price_per_hour  numeric(12, 4) not null check (price_per_hour >= 0),
    primary key (rate_card_id, offering_id)
);

create table rate_card_edition (
    rate_card_id         bigint         not null references rate_card (id) on delete cascade,
    edition              text           not null references license_edition (code),
    price_per_seat_hour  numeric(12, 4) not null check (price_per_seat_hour >= 0),
    primary key (rate_card_id, edition)
);

-- ---------------------------------------------------------------------------------------------------------
-- Closed months: closing freezes every tenant's statement of the month into the rows below, names and figures as
-- they stood, so that nothing later (a late sample, a renamed tenant, a new card) changes them. They are never
-- updated or deleted.
-- ---------------------------------------------------------------------------------------------------------
create table billing_month (
    month      date        primary key check (month = date_trunc('month', month)),
    -- The month's currency; null when nothing in it was priced.
    currency   text        check (currency ~ '^[A-Z]{3}$'),
    closed_at  timestamptz not null default now(),
    closed_by  bigint      not null references app_user (id)
);

-- One line per slice, rate card in force and license edition: allocated time and seat time in that stretch.
create table statement_line (
    month                date           not null references billing_month (month),
    tenant_id            bigint         not null references tenant (id),
    line_no              integer        not null check (line_no >= 1),
    tenant_name          text           not null,
    cost_centre_id       bigint         not null references cost_centre (id),
    cost_centre_code     text           not null,
    cost_centre_name     text           not null,
    -- Code of the root the cost centre sits under; null for a root.
    cost_centre_parent   text,
    slice_id             bigint         not null references slice (id),
    slice_uuid           uuid           not null,
    vm_name              text           not null,
    offering_id          bigint         not null references offering (id),
    offering_code        text           not null,
    -- Null where no card was in force: the line is unpriced and its amounts are zero.
    rate_card_id         bigint         references rate_card (id),
    period_start         timestamptz    not null,
    period_end           timestamptz    not null check (period_end > period_start),
    allocated_seconds    bigint         not null check (allocated_seconds >= 0),
    rate_per_hour        numeric(12, 4),
    allocation_amount    numeric(16, 4) not null,
    edition              text           references license_edition (code),
    seat_seconds         numeric(16, 3) not null check (seat_seconds >= 0),
    seat_rate_per_hour   numeric(12, 4),
    seat_amount          numeric(16, 4) not null,
    primary key (month, tenant_id, line_no)
);
create index statement_line_slice_idx on statement_line (slice_id);

-- Showback frozen with the month: how each billed slice used what it paid for, and the rightsizing hint.
create table statement_showback (
    month                  date           not null references billing_month (month),
    tenant_id              bigint         not null references tenant (id),
    slice_id               bigint         not null references slice (id),
    sample_count           bigint         not null check (sample_count >= 0),
    utilization_mean       numeric(5, 2)  check (utilization_mean between 0 and 100),
    utilization_peak       smallint       check (utilization_peak between 0 and 100),
    memory_peak_mib        integer        check (memory_peak_mib >= 0),
    framebuffer_mib        integer        not null check (framebuffer_mib > 0),
    suggested_offering     text,
    suggested_fb_mib       integer        check (suggested_fb_mib > 0),
    suggested_saving       numeric(16, 4),
    primary key (month, slice_id),
    check ((suggested_offering is null) = (suggested_saving is null)),
    check ((suggested_offering is null) = (suggested_fb_mib is null))
);

-- A correction finance books into an open month, with its reason: a charge (positive) or a credit (negative).
create table billing_adjustment (
    id              bigint generated always as identity primary key,
    month           date           not null check (month = date_trunc('month', month)),
    tenant_id       bigint         not null references tenant (id),
    cost_centre_id  bigint         not null,
    amount          numeric(16, 4) not null check (amount <> 0),
    reason          text           not null check (length(trim(reason)) between 3 and 500),
    -- The closed month the adjustment corrects, if any; it is booked in a later month.
    corrects_month  date           check (corrects_month = date_trunc('month', corrects_month)),
    created_by      bigint         not null references app_user (id),
    created_at      timestamptz    not null default now(),
    foreign key (cost_centre_id, tenant_id) references cost_centre (id, tenant_id),
    check (corrects_month is null or corrects_month < month)
);
create index billing_adjustment_month_idx on billing_adjustment (month, tenant_id);

-- The database refuses to change a closed month, whatever the code above it does.
create function closed_month_is_frozen() returns trigger language plpgsql as $$
begin
    raise exception '% of a closed month cannot be changed', tg_table_name using errcode = '55000';
end $$;
create trigger billing_month_frozen before update or delete on billing_month
    for each row execute function closed_month_is_frozen();
create trigger statement_line_frozen before update or delete on statement_line
    for each row execute function closed_month_is_frozen();
create trigger statement_showback_frozen before update or delete on statement_showback
    for each row execute function closed_month_is_frozen();

-- Closing a month and booking an adjustment into it take the same per-month lock, so an adjustment either lands
-- before the close reads the month or is refused after it: the close inserts billing_month first, then reads.
create function billing_month_lock(month date) returns void language sql as $$
    select pg_advisory_xact_lock(hashtext('billing_month:' || month::text))
$$;

create function billing_month_close_lock() returns trigger language plpgsql as $$
begin
    perform billing_month_lock(new.month);
    return new;
end $$;
create trigger billing_month_close_lock before insert on billing_month
    for each row execute function billing_month_close_lock();

create function adjustment_month_open() returns trigger language plpgsql as $$
begin
    perform billing_month_lock(case when tg_op = 'DELETE' then old.month else new.month end);
    if tg_op <> 'INSERT' and exists (select 1 from billing_month where month = old.month) then
        raise exception 'an adjustment of the closed month % cannot be changed', old.month using errcode = '55000';
    end if;
    if tg_op <> 'DELETE' and exists (select 1 from billing_month where month = new.month) then
        raise exception 'the month % is closed; book the adjustment in an open month', new.month using errcode = '55000';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger billing_adjustment_month_open before insert or update or delete on billing_adjustment
    for each row execute function adjustment_month_open();
