with source as (

    select * from {{ silver_source('inventory') }}

),

renamed as (

    select
        warehouse_id,
        product_id,
        on_hand_qty,
        snapshot_date,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
