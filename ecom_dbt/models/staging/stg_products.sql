with source as (

    select * from {{ silver_source('products') }}

),

renamed as (

    select
        product_id,
        product_name,
        category,
        subcategory,
        brand,
        unit_price,
        is_active,
        updated_at,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
