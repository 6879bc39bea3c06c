with products as (

    select * from {{ ref('stg_products') }}

),

versions as (

    -- One version per (product_id, updated_at), whichever partitions repeated it.
    {{ first_by('products', 'product_id, updated_at', 'source_dt, source_file, source_line_number') }}

),

ranged as (

    select
        {{ surrogate_key(['product_id', 'updated_at']) }} as product_key,
        product_id,
        product_name,
        category,
        subcategory,
        brand,
        unit_price,
        is_active,
        updated_at as valid_from,
        lead(updated_at) over (partition by product_id order by updated_at) as valid_to,
        row_number() over (partition by product_id order by updated_at) as version_number
    from versions

),

final as (

    select
        *,
        case when valid_to is null then true else false end as is_current
    from ranged

)

select * from final
