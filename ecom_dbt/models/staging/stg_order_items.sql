with source as (

    select * from {{ silver_source('order_items') }}

),

renamed as (

    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        discount_amount,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
