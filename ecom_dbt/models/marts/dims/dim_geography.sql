-- A view: the customer versions are merged incrementally upstream, so no run rescans silver.
{{ config(materialized='view') }}

with customer_versions as (

    select * from {{ ref('int_customers_versioned') }}

),

places as (

    select distinct
        geography_key,
        country_code,
        city
    from customer_versions

),

unknown_member as (

    select
        cast(-1 as bigint) as geography_key,
        '(unknown)' as country_code,
        '(unknown)' as city

),

final as (

    select * from places
    union all
    select * from unknown_member

)

select * from final
