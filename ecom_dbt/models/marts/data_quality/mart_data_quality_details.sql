-- The breakdowns behind mart_data_quality_daily, long form: quarantined rows by reason code
-- (as the silver run counted them; a row with two codes counts under both) and orphans by
-- reference (as gold holds them now).
-- Incremental: the window's reason counts replace its days (pre-hook delete_window, from
-- dbt_project.yml); the orphan counts, which change on any day as parents arrive, are
-- replaced whole (small).
{{ config(pre_hook="{{ delete_measure('orphans_by_reference') }}") }}

with silver_stats as (

    select * from {{ ref('stg_silver_stats') }}

),

orphans as (

    select * from {{ ref('dq_orphans') }}

),

quarantined_by_reason as (

    select
        entity,
        dt,
        'quarantined_by_reason' as measure,
        detail,
        sum(row_count) as row_count
    from silver_stats
    where
        measure = 'quarantined_by_reason'
        {%- if is_incremental_run() %}
        and {{ in_window('dt') }}
        {%- endif %}
    group by entity, dt, detail

),

orphans_by_reference as (

    select
        entity,
        source_dt as dt,
        'orphans_by_reference' as measure,
        reference as detail,
        count(*) as row_count
    from orphans
    group by entity, source_dt, reference

),

final as (

    select * from quarantined_by_reason
    union all
    select * from orphans_by_reference

)

select * from final
