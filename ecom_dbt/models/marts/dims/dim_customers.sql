-- A view: the versions are merged incrementally upstream, so no run copies them all.
{{ config(materialized='view') }}

with versions as (

    select * from {{ ref('int_customers_versioned') }}

),

unknown_member as (

    select
        cast(-1 as bigint) as customer_key,
        '(unknown)' as customer_id,
        '(unknown)' as email,
        '(unknown)' as first_name,
        '(unknown)' as last_name,
        '(unknown)' as country_code,
        '(unknown)' as city,
        '(unknown)' as loyalty_tier,
        cast(null as {{ dbt.type_timestamp() }}) as signup_ts,
        cast(-1 as bigint) as geography_key,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to,
        cast(null as bigint) as version_number,
        true as is_current

),

final as (

    select
        customer_key,
        customer_id,
        email,
        first_name,
        last_name,
        country_code,
        city,
        loyalty_tier,
        signup_ts,
        geography_key,
        valid_from,
        valid_to,
        version_number,
        is_current
    from versions
    union all
    select * from unknown_member

)

select * from final
