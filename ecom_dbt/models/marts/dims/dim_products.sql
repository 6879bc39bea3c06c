-- A view: the versions are merged incrementally upstream, so no run copies them all.
{{ config(materialized='view') }}

with versions as (

    select * from {{ ref('int_products_versioned') }}

),

unknown_member as (

    select
        cast(-1 as bigint) as product_key,
        '(unknown)' as product_id,
        '(unknown)' as product_name,
        '(unknown)' as category,
        '(unknown)' as subcategory,
        '(unknown)' as brand,
        cast(null as decimal(18, 2)) as unit_price,
        cast(null as boolean) as is_active,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to,
        cast(null as bigint) as version_number,
        true as is_current

),

final as (

    select
        product_key,
        product_id,
        product_name,
        category,
        subcategory,
        brand,
        unit_price,
        is_active,
        valid_from,
        valid_to,
        version_number,
        is_current
    from versions
    union all
    select * from unknown_member

)

select * from final
