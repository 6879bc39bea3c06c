-- Per entity and day, each count from its own source, so the nothing-lost equation
-- (rows read = rows in silver + quarantined + duplicates) is a real cross-check.
-- Incremental: the window's days are counted again (pre-hook delete_window clears them);
-- other days keep their counts, which only a run over them changes, except orphans, which
-- resolve later: their rows are rewritten when dq_orphans now counts otherwise.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['entity', 'dt'],
) }}

{#- The silver quarantine_rate check's limits: the same settings and defaults (settings.py). -#}
{%- set fail_rate = (env_var('ECOM_QUARANTINE_FAIL_RATE', '') | trim or '0.20') | float %}
{%- set min_rows = (env_var('ECOM_QUARANTINE_MIN_ROWS', '') | trim or '50') | int %}
{%- set columns = [
    'entity', 'dt', 'files_seen', 'files_ingested', 'files_empty', 'files_duplicate',
    'files_rejected', 'rows_read', 'rows_in_silver', 'quarantined', 'duplicates',
] %}

with landing_files as (

    select * from {{ ref('dq_landing_files') }}

),

quarantine as (

    select * from {{ ref('dq_quarantine') }}

),

silver_stats as (

    select * from {{ ref('stg_silver_stats') }}

),

orphans as (

    select * from {{ ref('dq_orphans') }}

),

silver_rows as (

    {% for entity in entity_names() %}
    select
        '{{ entity }}' as entity,
        source_dt as dt,
        count(*) as row_count
    from {{ ref('stg_' ~ entity) }}
    {%- if is_incremental_run() %}
    where {{ in_window('source_dt') }}
    {%- endif %}
    group by source_dt
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

files as (

    select
        entity,
        dt,
        count(*) as files_seen,
        sum(case when file_status = 'ingested' then 1 else 0 end) as files_ingested,
        sum(case when file_status = 'empty' then 1 else 0 end) as files_empty,
        sum(case when file_status = 'duplicate_content' then 1 else 0 end) as files_duplicate,
        sum(case when file_status = 'quarantined' then 1 else 0 end) as files_rejected,
        -- Files quarantined whole or skipped as duplicates add no rows read (contract 3).
        sum(case when file_status in ('ingested', 'empty') then rows_read else 0 end) as rows_read
    from landing_files
    {%- if is_incremental_run() %}
    where {{ in_window('dt') }}
    {%- endif %}
    group by entity, dt

),

quarantined as (

    select
        entity,
        dt,
        count(*) as row_count
    from quarantine
    {%- if is_incremental_run() %}
    where {{ in_window('dt') }}
    {%- endif %}
    group by entity, dt

),

duplicates as (

    -- Known only to the silver run; null for a day without statistics.
    select
        entity,
        dt,
        sum(row_count) as row_count
    from silver_stats
    where
        measure = 'duplicates'
        {%- if is_incremental_run() %}
        and {{ in_window('dt') }}
        {%- endif %}
    group by entity, dt

),

orphan_counts as (

    select
        entity,
        source_dt as dt,
        count(*) as row_count
    from orphans
    group by entity, source_dt

),

days as (

    select
        entity,
        dt
    from files
    union
    select
        entity,
        dt
    from silver_rows
    union
    select
        entity,
        dt
    from quarantined
    union
    select
        entity,
        dt
    from duplicates

),

counted as (

    select
        days.entity,
        days.dt,
        coalesce(files.files_seen, 0) as files_seen,
        coalesce(files.files_ingested, 0) as files_ingested,
        coalesce(files.files_empty, 0) as files_empty,
        coalesce(files.files_duplicate, 0) as files_duplicate,
        coalesce(files.files_rejected, 0) as files_rejected,
        coalesce(files.rows_read, 0) as rows_read,
        coalesce(silver_rows.row_count, 0) as rows_in_silver,
        coalesce(quarantined.row_count, 0) as quarantined,
        duplicates.row_count as duplicates,
        coalesce(orphan_counts.row_count, 0) as orphans
    from days
    left join files
        on files.entity = days.entity and files.dt = days.dt
    left join silver_rows
        on silver_rows.entity = days.entity and silver_rows.dt = days.dt
    left join quarantined
        on quarantined.entity = days.entity and quarantined.dt = days.dt
    left join duplicates
        on duplicates.entity = days.entity and duplicates.dt = days.dt
    left join orphan_counts
        on orphan_counts.entity = days.entity and orphan_counts.dt = days.dt

),

rated as (

    select
        *,
        case
            when duplicates is null then null
            when rows_read = rows_in_silver + quarantined + duplicates then true
            else false
        end as nothing_lost,
        case
            when rows_read = 0 then 0.0
            else cast(quarantined as double precision) / rows_read
        end as quarantine_rate
    from counted

),

gated as (

    select
        *,
        -- The quarantine_rate check's ERROR rule: above the fail rate with enough rows.
        coalesce(quarantine_rate > {{ fail_rate }} and rows_read >= {{ min_rows }}, false)
            as quarantine_rate_blocking
    from rated

),

window_days as (

    select
        *,
        -- The day's blocking rules gold can re-evaluate: the equation and the rate rule.
        case
            when nothing_lost is null then null
            when nothing_lost and not quarantine_rate_blocking then true
            else false
        end as blocking_checks_passed
    from gated

),

final as (

    select * from window_days
    {%- if is_incremental_run() %}
    union all
    -- Days outside the window whose orphans were resolved (or found) since they were counted.
    select
        {{ column_list(columns, 'earlier') }},
        coalesce(orphan_counts.row_count, 0) as orphans,
        {{ column_list(['nothing_lost', 'quarantine_rate', 'quarantine_rate_blocking',
            'blocking_checks_passed'], 'earlier') }}
    from {{ this }} as earlier
    left join orphan_counts
        on orphan_counts.entity = earlier.entity and orphan_counts.dt = earlier.dt
    where
        not ({{ in_window('earlier.dt') }})
        and earlier.orphans <> coalesce(orphan_counts.row_count, 0)
    {%- endif %}

)

select * from final
