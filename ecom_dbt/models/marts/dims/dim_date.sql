{%- set first_day = modules.datetime.date.fromisoformat(var('dim_date_start')) -%}
{%- set day_count = (modules.datetime.date.fromisoformat(var('dim_date_end')) - first_day).days -%}

with day_numbers as (

    -- A fixed calendar, so the table never depends on which partitions were processed.
    -- The day count is computed here, so compiling needs no warehouse connection.
    {{ dbt.generate_series(day_count) }}

),

days as (

    select
        cast({{ dbt.dateadd('day', 'generated_number - 1', "cast('" ~ first_day ~ "' as date)") }} as date)
            as date_day
    from day_numbers

),

calendar as (

    select
        {{ date_key('date_day') }} as date_key,
        cast(date_day as date) as date,
        cast(extract(year from date_day) as integer) as year,
        cast(extract(quarter from date_day) as integer) as quarter,
        cast(extract(month from date_day) as integer) as month,
        {{ month_name('date_day') }} as month_name,
        {{ year_month('date_day') }} as year_month,
        {{ iso_week('date_day') }} as week_of_year,
        {{ iso_day_of_week('date_day') }} as day_of_week,
        {{ day_name('date_day') }} as day_name,
        case when {{ iso_day_of_week('date_day') }} >= 6 then true else false end as is_weekend
    from days

),

unknown_member as (

    select
        -1 as date_key,
        cast(null as date) as date,
        cast(null as integer) as year,
        cast(null as integer) as quarter,
        cast(null as integer) as month,
        '(unknown)' as month_name,
        '(unknown)' as year_month,
        cast(null as integer) as week_of_year,
        cast(null as integer) as day_of_week,
        '(unknown)' as day_name,
        cast(null as boolean) as is_weekend

),

final as (

    select * from calendar
    union all
    select * from unknown_member

)

select * from final
